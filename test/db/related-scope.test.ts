import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  f,
  IsAuthenticated,
  installOpenApi,
  installPipeline,
  type OpenApi,
  type Related,
  Router,
  resourceSchema,
  type SetupError,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// A scope across a relation (Django's `.filter(members__user=user)`): teams with their members,
// on the organization and membership tables every test server has.
const TeamSchema = resourceSchema('team', {
  id: f.uuid({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
})

const common = {
  table: 'rbac_organizations' as const,
  schema: TeamSchema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  actions: ['list' as const, 'retrieve' as const],
  query: (db: TestApp['db']) =>
    db
      .selectFrom('rbac_organizations')
      .select(['rbac_organizations.id', 'rbac_organizations.name']),
  related: {
    members: (eb) =>
      eb
        .selectFrom('rbac_org_members as members')
        .whereRef('members.organization_id', '=', 'rbac_organizations.id'),
  } satisfies Related,
  // Oldest first, and no `?ordering=`: a default order alone.
  ordering: { default: ['rbac_organizations.created_at'] },
}

// Teams you belong to: one row each, however many memberships match.
const mine = viewset({
  ...common,
  basename: 'team',
  scope: (request) => ({ 'members.user_id': request.user!.id }),
  summaries: { list: 'The teams you belong to' },
})

// Teams where you are an owner: both equalities hold for one membership row.
const owned = viewset({
  ...common,
  basename: 'owned',
  scope: (request) => ({ 'members.user_id': request.user!.id, 'members.role': 'owner' }),
})

// A relation beside a column of the row itself: yours, or any team named "Open".
const mineOrOpen = viewset({
  ...common,
  basename: 'open',
  scope: (request) => [
    { 'members.user_id': request.user!.id },
    { 'rbac_organizations.name': 'Open' },
  ],
})

let t: TestApp
let app: FastifyInstance
let openapi: OpenApi
let ann: TestUser
let bob: TestUser
const teams: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp()
  ann = await t.user('ann')
  bob = await t.user('bob')
  const grants: [string, [TestUser, string][]][] = [
    [
      'Red',
      [
        [ann, 'owner'],
        [bob, 'viewer'],
      ],
    ],
    [
      'Blue',
      [
        [bob, 'owner'],
        [ann, 'viewer'],
      ],
    ],
    ['Open', [[bob, 'owner']]],
    ['Gold', [[bob, 'viewer']]],
  ]
  for (const [i, [name, members]] of grants.entries()) {
    const id = randomUUID()
    teams[name] = id
    const created_at = `2026-01-0${i + 1}T00:00:00.000Z`
    await t.db.insertInto('rbac_organizations').values({ id, name, created_at }).execute()
    for (const [user, role] of members) {
      await t.db
        .insertInto('rbac_org_members')
        .values({ organization_id: id, user_id: user.id, role, created_at })
        .execute()
    }
  }
  app = Fastify()
  app.decorate('db', t.db)
  app.decorate('users', t.app.users)
  await installPipeline(app)
  openapi = installOpenApi(app, { title: 'teams', version: '1' })
  new Router()
    .register('teams', mine)
    .register('owned', owned)
    .register('open', mineOrOpen)
    .mount(app)
  await app.ready()
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

describe('a scope across a relation (related)', () => {
  it('lists each object once, counted once, in the default order', async () => {
    const a = await get(ann, '/teams/')
    expect(a.body.count).toBe(2)
    expect(shown(a.body)).toEqual(['Red', 'Blue'])
    const b = await get(bob, '/teams/?page_size=2&page=2')
    expect(b.body.count).toBe(4)
    expect(shown(b.body)).toEqual(['Open', 'Gold'])
  })

  it('takes no ?ordering= without ordering fields, and keeps the default order', async () => {
    expect(shown((await get(bob, '/teams/?ordering=-name')).body)).toEqual([
      'Red',
      'Blue',
      'Open',
      'Gold',
    ])
    const doc = (await openapi.document()) as unknown as {
      paths: Record<string, { get: { summary: string; parameters: { name: string }[] } }>
    }
    expect(doc.paths['/teams/'].get.parameters.map((p) => p.name)).not.toContain('ordering')
    expect(doc.paths['/teams/'].get.summary).toBe('The teams you belong to')
    expect(doc.paths['/owned/'].get.summary).not.toBe('The teams you belong to')
  })

  it("holds one alternative's columns of a relation for one related row", async () => {
    expect(shown((await get(ann, '/owned/')).body)).toEqual(['Red'])
    expect(shown((await get(bob, '/owned/')).body)).toEqual(['Blue', 'Open'])
  })

  it('mixes a relation with the row’s own columns across alternatives', async () => {
    expect(shown((await get(ann, '/open/')).body)).toEqual(['Red', 'Blue', 'Open'])
  })

  it('refuses at start a summary for an action the viewset does not serve', () => {
    const wrong = viewset({ ...mine, summaries: { destroy: 'Delete a team' } })
    try {
      new Router().register('teams', wrong).mount({ route() {} } as never)
      expect.unreachable()
    } catch (err) {
      expect((err as SetupError).code).toBe('ERR_VIEWSET_SUMMARY')
    }
  })

  it('scopes details alike: an object outside is a 404', async () => {
    expect((await get(ann, `/teams/${teams.Blue}/`)).body.name).toBe('Blue')
    expect((await get(ann, `/teams/${teams.Gold}/`)).status).toBe(404)
    expect((await get(ann, `/owned/${teams.Blue}/`)).status).toBe(404)
    expect((await get(ann, `/open/${teams.Open}/`)).status).toBe(200)
  })
})
