import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  f,
  IsAuthenticated,
  IsOwner,
  listsOnly,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// `scope` is the compiled-once form of perRequestQuery: these check it scopes lists and details
// alike, whatever the ordering, search and page, and never widens to every row.
const Schema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255 }),
})

// What both viewsets share: read-only bucketlists behind a token.
const common = {
  table: 'bucketlists' as const,
  schema: Schema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  actions: ['list' as const, 'retrieve' as const],
  query: (db: TestApp['db']) => db.selectFrom('bucketlists').select(['id', 'name', 'owner_id']),
}

const own = viewset({
  ...common,
  basename: 'own',
  scope: (request) => ({ 'bucketlists.owner_id': request.user!.id }),
  ordering: {
    fields: { name: 'bucketlists.name', id: 'bucketlists.id' },
    default: ['-bucketlists.id'],
  },
  search: ['bucketlists.name'],
})

// A scope whose value is missing for some requests: must fail, never list everyone's rows.
const broken = viewset({
  ...common,
  basename: 'broken',
  scope: (request) =>
    ({ 'bucketlists.owner_id': (request.query as { who?: string }).who }) as never,
})

// Rows that match any one of several scopes: the user's own, or any named 'bob gamma'.
const either = viewset({
  ...common,
  basename: 'either',
  scope: (request) => [
    { 'bucketlists.owner_id': request.user!.id },
    { 'bucketlists.name': 'bob gamma' },
  ],
  search: ['bucketlists.name'],
})

// Lists your own; a detail loads any row and IsOwner answers another's with 403, not 404.
const mine = viewset({
  ...common,
  basename: 'mine',
  permissions: [IsAuthenticated, IsOwner],
  scope: listsOnly((request) => ({ 'bucketlists.owner_id': request.user!.id })),
})

// A scope that looks something up first: users with a bucketlist named 'gamma' see every row,
// others their own. Two shapes, each compiled once; the lookup decides per request.
const looked = viewset({
  ...common,
  basename: 'looked',
  scope: async (request) => {
    const gamma = await request.server.db
      .selectFrom('bucketlists')
      .select('id')
      .where('owner_id', '=', request.user!.id)
      .where('name', '=', 'gamma')
      .executeTakeFirst()
    return gamma ? null : { 'bucketlists.owner_id': request.user!.id }
  },
})

// No alternative at all: must fail, as a missing value does.
const none = viewset({ ...common, basename: 'none', scope: () => [] })

let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser
const names: Record<string, number> = {}

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  for (const [user, name] of [
    [alice, 'alpha trip'],
    [alice, 'beta 100% trip'],
    [alice, 'gamma'],
    [bob, 'bob trip'],
    [bob, 'bob gamma'],
  ] as const) {
    const row = await t.db
      .insertInto('bucketlists')
      .values({ name, owner_id: user.id, date_created: '2026-01-01', date_modified: '2026-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow()
    names[name] = Number(row.id)
  }
  app = await routerApp(
    t,
    new Router()
      .register('own', own)
      .register('broken', broken)
      .register('either', either)
      .register('none', none)
      .register('mine', mine)
      .register('looked', looked),
  )
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const get = async (user: TestUser, url: string) => {
  const response = await app.inject({ url, headers: { authorization: `Token ${user.token}` } })
  return { status: response.statusCode, body: response.json() }
}
const shown = (body: { results: { name: string }[] }) => body.results.map((r) => r.name)

describe('a viewset scope', () => {
  it("lists each user's own rows, in the default order, counted under the scope", async () => {
    const a = await get(alice, '/own/')
    expect(a.body.count).toBe(3)
    expect(shown(a.body)).toEqual(['gamma', 'beta 100% trip', 'alpha trip'])
    // The same shape again, with another user's value: nothing of the first leaks.
    const b = await get(bob, '/own/')
    expect(b.body.count).toBe(2)
    expect(shown(b.body)).toEqual(['bob gamma', 'bob trip'])
  })

  it('keeps the scope under ordering, search and pages', async () => {
    expect(shown((await get(alice, '/own/?ordering=name')).body)).toEqual([
      'alpha trip',
      'beta 100% trip',
      'gamma',
    ])
    const searched = await get(alice, '/own/?search=trip')
    expect(searched.body.count).toBe(2)
    expect(shown(searched.body).sort()).toEqual(['alpha trip', 'beta 100% trip'])
    // Two terms, and a LIKE wildcard taken literally.
    expect(shown((await get(alice, '/own/?search=100%25 trip')).body)).toEqual(['beta 100% trip'])
    expect(shown((await get(bob, '/own/?search=trip&ordering=-name')).body)).toEqual(['bob trip'])
    const paged = await get(alice, '/own/?page=2&page_size=2&ordering=name')
    expect(paged.body.count).toBe(3)
    expect(shown(paged.body)).toEqual(['gamma'])
    expect((await get(alice, '/own/?page=3&page_size=2')).status).toBe(404)
  })

  it('refuses more distinct search terms than it nests, and repeats count once', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `t${i}`).join('+')
    const refused = await get(alice, `/own/?search=${many}`)
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ search: ['Ensure this value has at most 32 search terms.'] })
    const repeated = await get(alice, `/own/?search=${Array(2000).fill('trip').join('+')}`)
    expect(repeated.body.count).toBe(2)
  })

  it("answers 404 for another user's detail, as for a missing one", async () => {
    expect((await get(alice, `/own/${names.gamma}/`)).body.name).toBe('gamma')
    expect((await get(alice, `/own/${names['bob gamma']}/`)).status).toBe(404)
    expect((await get(bob, `/own/${names['bob gamma']}/`)).status).toBe(200)
  })

  it.each([
    ['a scope has no value', 'broken'],
    ['a list of scopes is empty', 'none'],
  ])('fails rather than shows every row when %s', async (_, prefix) => {
    const list = await get(alice, `/${prefix}/`)
    expect(list.status).toBe(500)
    expect(JSON.stringify(list.body)).not.toContain('trip')
    expect((await get(alice, `/${prefix}/${names['bob trip']}/`)).status).toBe(500)
  })

  it('scopes with the value once it is there', async () => {
    expect((await get(alice, `/broken/?who=${bob.id}`)).body.count).toBe(2)
  })

  it('takes a list as rows matching any one of its scopes, in lists, counts and details', async () => {
    const a = await get(alice, '/either/')
    expect(a.body.count).toBe(4)
    expect(shown(a.body)).toEqual(['alpha trip', 'beta 100% trip', 'gamma', 'bob gamma'])
    // Searched within the scope: bob's own trip is not one of alice's alternatives.
    expect(shown((await get(alice, '/either/?search=trip')).body)).toEqual([
      'alpha trip',
      'beta 100% trip',
    ])
    // A row matching both alternatives is counted once.
    expect((await get(bob, '/either/')).body.count).toBe(2)
    expect((await get(alice, `/either/${names['bob gamma']}/`)).status).toBe(200)
    expect((await get(alice, `/either/${names['bob trip']}/`)).status).toBe(404)
  })

  it('listsOnly narrows lists and leaves details to the object permissions', async () => {
    const list = await get(alice, '/mine/')
    expect(list.body.count).toBe(3)
    expect(shown(list.body)).not.toContain('bob trip')
    const theirs = await get(alice, `/mine/${names['bob trip']}/`)
    expect(theirs.status).toBe(403)
    expect(theirs.body).toEqual({ detail: 'You do not have permission to perform this action.' })
    expect((await get(bob, `/mine/${names['bob trip']}/`)).status).toBe(200)
    expect((await get(alice, '/mine/999999/')).status).toBe(404)
  })

  it('may answer a promise: the lookup decides, for lists and details alike', async () => {
    // alice owns 'gamma': every row. bob does not: his own, and 404 for hers.
    expect((await get(alice, '/looked/')).body.count).toBe(5)
    expect((await get(alice, `/looked/${names['bob trip']}/`)).status).toBe(200)
    expect((await get(bob, '/looked/')).body.count).toBe(2)
    expect((await get(bob, `/looked/${names.gamma}/`)).status).toBe(404)
    expect((await get(bob, `/looked/${names['bob trip']}/`)).status).toBe(200)
  })
})
