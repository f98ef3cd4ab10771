import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, grant, grantOnObject } from '../../src/accounts/index.ts'
import {
  f,
  hideWhenDenied,
  IsAdminUser,
  objectPermissions,
  objectsVisibleTo,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { type PermissionApp, permissionApp } from '../helpers/permission-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

const TYPE = 'bucketlists.bucketlist'
const Schema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255, unique: true }),
})

// Lists show what the user may view, in SQL; a detail loads any row so that the object check
// decides between 403 (visible, action denied) and 404 (not even visible).
const things = viewset({
  basename: TYPE,
  table: 'bucketlists',
  schema: Schema,
  authentication: [TokenScheme],
  permissions: [objectPermissions()],
  query: (db) => db.selectFrom('bucketlists').select(['bucketlists.id', 'bucketlists.name']),
  perRequestQuery: (request, query) =>
    request.access.view.action === 'list'
      ? objectsVisibleTo(request, query, { objectType: TYPE, idColumn: 'bucketlists.id' })
      : query,
  ordering: { fields: {}, default: ['bucketlists.id'] },
})

let t: TestApp
let p: PermissionApp
let app: FastifyInstance
let owner: TestUser
let alice: TestUser
let bob: TestUser
let staff: TestUser
let ids: number[]

async function insertLists(count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `list ${i}`,
    owner_id: owner.id,
    date_created: new Date().toISOString(),
    date_modified: new Date().toISOString(),
  }))
  const inserted = await t.db.insertInto('bucketlists').values(rows).returning('id').execute()
  return inserted.map((r) => r.id).sort((a, b) => a - b)
}

const onList = (codename: string, id: number) => ({
  codename: `bucketlists.${codename}_bucketlist`,
  objectType: TYPE,
  objectId: String(id),
})

beforeAll(async () => {
  t = await createTestApp()
  owner = await t.user('owner')
  alice = await t.user('alice')
  bob = await t.user('bob')
  staff = await t.user('staff', { is_staff: true })
  p = await permissionApp(t, (server) => {
    new Router().register('things', things).mount(server)
    server.get('/staff-only/', {
      config: { authentication: [TokenScheme], permissions: [hideWhenDenied(IsAdminUser)] },
      handler: async () => ({ secret: true }),
    })
  })
  app = p.app
  ids = await insertLists(30)
  const aliceHolder = { kind: 'user' as const, id: alice.id }
  // Alice views ids[0..9] herself and ids[10..24] through her group; ids[0] she may change too.
  for (const id of ids.slice(0, 10)) await grantOnObject(t.db, aliceHolder, onList('view', id))
  await grantOnObject(t.db, aliceHolder, onList('change', ids[0]))
  const { id: readers } = await t.db
    .insertInto('auth_groups')
    .values({ name: 'readers' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await addMember(t.db, readers, alice.id)
  for (const id of ids.slice(10, 25)) {
    await grantOnObject(t.db, { kind: 'group', id: readers }, onList('view', id))
  }
  // Noise that must not leak: bob's grants, another codename, another object type.
  for (const id of ids.slice(25)) {
    await grantOnObject(t.db, { kind: 'user', id: bob.id }, onList('view', id))
    await grantOnObject(t.db, aliceHolder, onList('change', id))
    await grantOnObject(t.db, aliceHolder, { ...onList('view', id), objectType: 'other.thing' })
  }
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const as = (u: TestUser) => ({ authorization: `Token ${u.token}` })
const listIds = (res: LightMyRequestResponse) =>
  (res.json().results as { id: number }[]).map((r) => r.id)
const withoutDate = (res: LightMyRequestResponse) => {
  const { date: _date, ...headers } = res.headers
  return { status: res.statusCode, headers, body: res.body }
}

describe('ObjectPermissions', () => {
  it('lets a user read what they may view, and refuses a change with 403', async () => {
    expect((await app.inject({ url: `/things/${ids[1]}/`, headers: as(alice) })).statusCode).toBe(
      200,
    )
    const patch = (id: number) =>
      app.inject({
        method: 'PATCH',
        url: `/things/${id}/`,
        headers: as(alice),
        payload: { name: `renamed ${id}` },
      })
    const denied = await patch(ids[1])
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toEqual({ detail: 'You do not have permission to perform this action.' })
    expect((await patch(ids[0])).statusCode).toBe(200)
  })

  it('answers 404 for an object the user may not even view, exactly as for a missing one', async () => {
    const missing = await app.inject({ url: '/things/99999999/', headers: as(alice) })
    expect(missing.statusCode).toBe(404)
    const hidden = await app.inject({ url: `/things/${ids[27]}/`, headers: as(alice) })
    expect(withoutDate(hidden)).toEqual(withoutDate(missing))
    // A write to an object the user can neither view nor change reveals nothing either.
    const write = await app.inject({
      method: 'PATCH',
      url: `/things/${ids[0]}/`,
      headers: as(bob),
      payload: { name: 'nope' },
    })
    expect(write.statusCode).toBe(404)
    expect(write.json()).toEqual({ detail: 'Not found.' })
  })

  it('needs the model-wide add to create, and refuses anonymous users with 401', async () => {
    const post = await app.inject({
      method: 'POST',
      url: '/things/',
      headers: as(alice),
      payload: { name: 'new' },
    })
    expect(post.statusCode).toBe(403)
    expect((await app.inject({ url: `/things/${ids[0]}/` })).statusCode).toBe(401)
  })

  it('counts a model-wide grant for every object', async () => {
    await grant(t.db, { kind: 'user', id: staff.id }, [`bucketlists.view_bucketlist`])
    expect((await app.inject({ url: `/things/${ids[29]}/`, headers: as(staff) })).statusCode).toBe(
      200,
    )
    const all = await app.inject({ url: '/things/?page_size=100', headers: as(staff) })
    expect(all.json().count).toBe(30)
  })
})

describe('objectsVisibleTo', () => {
  it('lists exactly the objects granted to the user or their groups', async () => {
    const first = await app.inject({ url: '/things/', headers: as(alice) })
    expect(first.json().count).toBe(25)
    const second = await app.inject({ url: '/things/?page=2', headers: as(alice) })
    expect([...listIds(first), ...listIds(second)]).toEqual(ids.slice(0, 25))
    const others = await app.inject({ url: '/things/', headers: as(bob) })
    expect(listIds(others)).toEqual(ids.slice(25))
    const none = await app.inject({ url: '/things/', headers: as(owner) })
    expect(none.json()).toMatchObject({ count: 0, results: [] })
  })

  it('costs one query per page (and one count), whatever the number of grants', async () => {
    for (const page of ['1', '2']) {
      p.resetQueries()
      const res = await app.inject({ url: `/things/?page=${page}`, headers: as(alice) })
      expect(res.statusCode).toBe(200)
      expect(p.queries()).toBe(2)
    }
  })
})

describe('hideWhenDenied', () => {
  it('answers a denial with the body and headers of a missing object', async () => {
    const missing = await app.inject({ url: '/things/99999999/', headers: as(alice) })
    const hidden = await app.inject({ url: '/staff-only/', headers: as(alice) })
    expect(withoutDate(hidden)).toEqual(withoutDate(missing))
    expect((await app.inject({ url: '/staff-only/', headers: as(staff) })).json()).toEqual({
      secret: true,
    })
    // Who has not logged in is still asked to, first: 401 comes before 404.
    expect((await app.inject({ url: '/staff-only/' })).statusCode).toBe(401)
  })
})
