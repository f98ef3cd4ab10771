import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../helpers/cookies.ts'
import { ExecutedStatements } from '../helpers/executed-statements.ts'
import { createRbacTestApp, makeOrganization, type RbacTestApp } from '../helpers/rbac-app.ts'
import { PASSWORD, type TestUser } from '../helpers/test-app.ts'

// API.md §8 beyond the matrix: bodies, the order of checks, owners, project grants, and the
// cost of role resolution, walked over HTTP as the DRF anchor's OBSERVED.md records them.

const executed = new ExecutedStatements()
let t: RbacTestApp
let alice: TestUser
let bob: TestUser
let carol: TestUser
let dave: TestUser
let erin: TestUser
let petra: TestUser
let xavier: TestUser
let newbie: TestUser
let org: string
let rocket: string
let anvil: string

beforeAll(async () => {
  t = await createRbacTestApp((_db, url) => executed.open(url))
  ;[alice, bob, carol, dave, erin, petra, xavier, newbie] = await Promise.all(
    ['alice', 'bob', 'carol', 'dave', 'erin', 'petra', 'xavier', 'newbie'].map((n) => t.user(n)),
  )
})
afterAll(async () => {
  await t?.close()
  await executed.close()
})

const ORGS = '/rbac/organizations/'
const at = (path = '') => `${ORGS}${org}/${path}`
const DENIED = '{"detail":"You do not have permission to perform this action."}'
const NOT_FOUND = '{"detail":"Not found."}'
const LAST_OWNER = '{"non_field_errors":["The last owner cannot leave the organization."]}'

function expectAnswer(res: { statusCode: number; body: string }, status: number, body?: string) {
  expect({ status: res.statusCode, body: body === undefined ? res.statusCode : res.body }).toEqual({
    status,
    body: body ?? status,
  })
}

const member = (u: TestUser, role: string, name = '') =>
  JSON.stringify({ user_id: u.id, username: u.username, email: u.email, name, role })

describe('a browser session (CSRF) creates an organization and becomes its owner', () => {
  it('logs in, is refused without the CSRF header, then creates the organization', async () => {
    const jar = new CookieJar()
    const login = await t.app.inject({
      method: 'POST',
      url: '/rbac/auth/login',
      payload: { email: alice.email, password: PASSWORD },
    })
    expect(login.statusCode).toBe(200)
    jar.take(login)
    const post = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: ORGS,
        headers: { cookie: jar.header(), ...headers },
        payload: { name: 'Acme' },
      })
    expectAnswer(await post({}), 403, '{"detail":"CSRF Failed: CSRF token missing or incorrect."}')
    const created = await post({ 'x-csrftoken': jar.get('csrftoken')! })
    expect(created.statusCode).toBe(201)
    const body = created.json()
    expect(Object.keys(body)).toEqual(['id', 'name', 'created_at'])
    expect(body).toMatchObject({ name: 'Acme', created_at: expect.stringMatching(/Z$/) })
    org = body.id
    expectAnswer(await t.call(alice, 'GET', at('members/')), 200)
    expect((await t.call(alice, 'GET', at('members/'))).json().results).toEqual([
      JSON.parse(member(alice, 'owner')),
    ])
  })

  it('makes projects with their organization', async () => {
    const res = await t.call(alice, 'POST', at('projects/'), { name: 'Rocket' })
    expect(res.statusCode).toBe(201)
    expect(Object.keys(res.json())).toEqual(['id', 'organization', 'name', 'created_at'])
    expect(res.json()).toMatchObject({ organization: org, name: 'Rocket' })
    rocket = res.json().id
    anvil = (await t.call(alice, 'POST', at('projects/'), { name: 'Anvil' })).json().id
    expectAnswer(
      await t.call(alice, 'POST', at('projects/'), {}),
      400,
      '{"name":["This field is required."]}',
    )
  })
})

describe('members: bodies and field errors', () => {
  it('adds members by id and by e-mail address (any case)', async () => {
    expectAnswer(
      await t.call(alice, 'POST', at('members/'), { user_id: bob.id, role: 'viewer' }),
      201,
      member(bob, 'viewer'),
    )
    expectAnswer(
      await t.call(alice, 'POST', at('members/'), { user_id: carol.id, role: 'editor' }),
      201,
      member(carol, 'editor'),
    )
    expectAnswer(
      await t.call(alice, 'POST', at('members/'), { user_id: dave.id, role: 'admin' }),
      201,
      member(dave, 'admin'),
    )
    expectAnswer(
      await t.call(alice, 'POST', at('members/'), { email: 'ERIN@example.com', role: 'owner' }),
      201,
      member(erin, 'owner'),
    )
  })

  it('answers DRF field errors', async () => {
    const post = (json: unknown) => t.call(alice, 'POST', at('members/'), json)
    expectAnswer(
      await post({ user_id: bob.id, role: 'viewer' }),
      400,
      '{"user_id":["This user is already a member of this organization."]}',
    )
    expectAnswer(
      await post({ user_id: newbie.id, role: 'boss' }),
      400,
      '{"role":["\\"boss\\" is not a valid choice."]}',
    )
    const ghost = '00000000-0000-4000-8000-000000000000'
    expectAnswer(
      await post({ user_id: ghost, role: 'viewer' }),
      400,
      `{"user_id":["Invalid pk \\"${ghost}\\" - object does not exist."]}`,
    )
    expectAnswer(await post({ role: 'viewer' }), 400, '{"user_id":["This field is required."]}')
    expectAnswer(
      await post({ email: 'nobody@example.com', role: 'viewer' }),
      400,
      '{"email":["No user has this e-mail address."]}',
    )
  })

  it('lists members in grant order, paginated', async () => {
    const res = await t.call(bob, 'GET', at('members/?page_size=2'))
    expect(res.json()).toMatchObject({
      count: 5,
      previous: null,
      next: expect.stringContaining('page=2'),
    })
    expect(res.json().results.map((m: { username: string }) => m.username)).toEqual([
      'alice',
      'bob',
    ])
    expectAnswer(await t.call(bob, 'GET', at('members/?page=9')), 404, '{"detail":"Invalid page."}')
  })
})

describe('the order of checks: 401 → 404 (no role) → 403 (role) → 404 (member) → 400 (body)', () => {
  it('asks for credentials first, even for an organization that does not exist', async () => {
    const res = await t.call(null, 'PATCH', `${ORGS}not-a-uuid/members/x/`, { role: 'boss' })
    expectAnswer(res, 401, '{"detail":"Authentication credentials were not provided."}')
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
  })

  it('hides an organization without a role exactly as a missing one', async () => {
    const strip = (h: Record<string, unknown>) => ({ ...h, date: undefined })
    const hidden = await t.call(xavier, 'PATCH', at(), { name: 'mine' })
    const missing = await t.call(xavier, 'PATCH', `${ORGS}00000000-0000-4000-8000-000000000000/`, {
      name: 'mine',
    })
    const malformed = await t.call(xavier, 'PATCH', `${ORGS}not-a-uuid/`, { name: 'mine' })
    for (const res of [hidden, missing, malformed]) {
      expectAnswer(res, 404, NOT_FOUND)
      expect(strip(res.headers)).toEqual(strip(hidden.headers))
    }
    expectAnswer(
      await t.call(xavier, 'POST', at('members/'), { user_id: xavier.id, role: 'owner' }),
      404,
      NOT_FOUND,
    )
  })

  it('forbids a low role before looking for the member or reading the body', async () => {
    expectAnswer(
      await t.call(bob, 'PATCH', at('members/not-a-member/'), { role: 'boss' }),
      403,
      DENIED,
    )
    expectAnswer(
      await t.call(dave, 'PATCH', at('members/not-a-member/'), { role: 'boss' }),
      404,
      NOT_FOUND,
    )
    expectAnswer(
      await t.call(dave, 'PATCH', at(`members/${xavier.id}/`), { role: 'boss' }),
      404,
      NOT_FOUND,
    )
    expectAnswer(
      await t.call(dave, 'PATCH', at(`members/${bob.id}/`), { role: 'boss' }),
      400,
      '{"role":["\\"boss\\" is not a valid choice."]}',
    )
    expectAnswer(await t.call(bob, 'POST', at('projects/'), {}), 403, DENIED)
    expectAnswer(
      await t.call(carol, 'POST', at('projects/'), {}),
      400,
      '{"name":["This field is required."]}',
    )
  })

  it('answers PUT with 405 to those who see the organization', async () => {
    expectAnswer(
      await t.call(bob, 'PUT', at(), { name: 'x' }),
      405,
      '{"detail":"Method \\"PUT\\" not allowed."}',
    )
    expectAnswer(await t.call(bob, 'PUT', at(`projects/${rocket}/`), { name: 'x' }), 405)
  })

  it('answers OPTIONS and PUT as the path names: the list to anyone, a detail to who sees it', async () => {
    expectAnswer(await t.call(xavier, 'OPTIONS', ORGS), 200)
    expectAnswer(await t.call(xavier, 'PUT', ORGS, { name: 'x' }), 405)
    expectAnswer(await t.call(xavier, 'OPTIONS', at()), 404, NOT_FOUND)
    expectAnswer(await t.call(xavier, 'PUT', at(), { name: 'x' }), 404, NOT_FOUND)
    expectAnswer(await t.call(xavier, 'OPTIONS', at('projects/')), 404, NOT_FOUND)
    expectAnswer(await t.call(bob, 'OPTIONS', at('projects/')), 200)
    // A project that is not there is hidden, as a GET of it would be.
    const missing = at('projects/00000000-0000-4000-8000-000000000000/')
    expectAnswer(await t.call(bob, 'PUT', missing, { name: 'x' }), 404, NOT_FOUND)
  })
})

describe('owners are managed by owners, and the last one stays', () => {
  it('forbids an admin to grant owner or touch an owner', async () => {
    expectAnswer(
      await t.call(dave, 'POST', at('members/'), { user_id: xavier.id, role: 'owner' }),
      403,
      DENIED,
    )
    expectAnswer(
      await t.call(dave, 'PATCH', at(`members/${erin.id}/`), { role: 'viewer' }),
      403,
      DENIED,
    )
    expectAnswer(await t.call(dave, 'DELETE', at(`members/${erin.id}/`)), 403, DENIED)
    expectAnswer(
      await t.call(dave, 'PATCH', at(`members/${dave.id}/`), { role: 'owner' }),
      403,
      DENIED,
    )
  })

  it('keeps the last owner, who may leave once another owner exists', async () => {
    expectAnswer(await t.call(alice, 'DELETE', at(`members/${erin.id}/`)), 204)
    expectAnswer(
      await t.call(alice, 'PATCH', at(`members/${alice.id}/`), { role: 'admin' }),
      400,
      LAST_OWNER,
    )
    expectAnswer(await t.call(alice, 'DELETE', at(`members/${alice.id}/`)), 400, LAST_OWNER)
    expectAnswer(
      await t.call(alice, 'PATCH', at(`members/${dave.id}/`), { role: 'owner' }),
      200,
      member(dave, 'owner'),
    )
    expectAnswer(await t.call(alice, 'DELETE', at(`members/${alice.id}/`)), 204)
    expectAnswer(await t.call(alice, 'GET', at()), 404, NOT_FOUND)
  })

  it('never leaves zero owners when the last two demote each other at once', async () => {
    for (let round = 0; round < 5; round++) {
      const o = await makeOrganization(t.db, { [alice.id]: 'owner', [erin.id]: 'owner' })
      const path = (u: TestUser) => `${ORGS}${o.org}/members/${u.id}/`
      const answers = await Promise.all([
        t.call(alice, 'PATCH', path(erin), { role: 'viewer' }),
        t.call(erin, round % 2 ? 'DELETE' : 'PATCH', path(alice), { role: 'viewer' }),
      ])
      // One wins; the other sees it (400: last owner, or 403: no longer an owner itself).
      const won = answers.filter((r) => r.statusCode === 200 || r.statusCode === 204)
      expect(won).toHaveLength(1)
      expect(answers.every((r) => [200, 204, 400, 403].includes(r.statusCode))).toBe(true)
      const owners = await t.db
        .selectFrom('rbac_org_members')
        .select('user_id')
        .where('organization_id', '=', o.org)
        .where('role', '=', 'owner')
        .execute()
      expect(owners).toHaveLength(1)
    }
  })
})

describe('a grant on one project alone', () => {
  it('is made by an owner on the project, and lets its holder see that project only', async () => {
    const o = (p = '') => `${ORGS}${org}/${p}`
    expectAnswer(
      await t.call(dave, 'POST', o(`projects/${rocket}/members/`), {
        user_id: petra.id,
        role: 'editor',
      }),
      201,
      member(petra, 'editor'),
    )
    expectAnswer(
      await t.call(dave, 'POST', o(`projects/${rocket}/members/`), {
        user_id: petra.id,
        role: 'viewer',
      }),
      400,
      '{"user_id":["This user already has a role on this project."]}',
    )
    expect(
      (await t.call(petra, 'GET', ORGS)).json().results.map((x: { id: string }) => x.id),
    ).toContain(org)
    expectAnswer(await t.call(petra, 'GET', o()), 200)
    expect((await t.call(petra, 'GET', o('projects/'))).json()).toMatchObject({
      count: 1,
      results: [{ id: rocket }],
    })
    expectAnswer(await t.call(petra, 'GET', o(`projects/${anvil}/`)), 404, NOT_FOUND)
    expectAnswer(await t.call(petra, 'GET', o('members/')), 404, NOT_FOUND)
    expectAnswer(await t.call(petra, 'PATCH', o(), { name: 'x' }), 403, DENIED)
    expectAnswer(await t.call(petra, 'POST', o('projects/'), { name: 'x' }), 403, DENIED)
    expectAnswer(
      await t.call(petra, 'GET', o(`projects/${rocket}/members/`)),
      200,
      JSON.stringify({
        count: 1,
        next: null,
        previous: null,
        results: [JSON.parse(member(petra, 'editor'))],
      }),
    )
  })

  it('lets a project-only admin manage the project grants below owner', async () => {
    const grants = `${ORGS}${org}/projects/${rocket}/members/`
    expectAnswer(
      await t.call(dave, 'PATCH', `${grants}${petra.id}/`, { role: 'admin' }),
      200,
      member(petra, 'admin'),
    )
    expectAnswer(
      await t.call(petra, 'POST', grants, { user_id: newbie.id, role: 'viewer' }),
      201,
      member(newbie, 'viewer'),
    )
    expectAnswer(
      await t.call(petra, 'POST', grants, { user_id: xavier.id, role: 'owner' }),
      403,
      DENIED,
    )
    expectAnswer(await t.call(petra, 'DELETE', `${grants}${newbie.id}/`), 204)
    expectAnswer(await t.call(petra, 'DELETE', `${ORGS}${org}/projects/${rocket}/`), 204)
    expectAnswer(await t.call(petra, 'GET', `${ORGS}${org}/`), 404, NOT_FOUND)
  })
})

describe('role resolution costs one statement per request', () => {
  const statements = () => executed.sql

  it('reads every grant that decides a request in one statement, however many checks ask', async () => {
    const o = await makeOrganization(
      t.db,
      { [alice.id]: 'owner', [bob.id]: 'viewer' },
      { [petra.id]: 'editor' },
    )
    const requests: [TestUser, string, string, unknown?][] = [
      [bob, 'GET', `${ORGS}${o.org}/projects/${o.granted}/`],
      [petra, 'PATCH', `${ORGS}${o.org}/projects/${o.granted}/`, { name: 'Renamed' }],
      [bob, 'GET', `${ORGS}${o.org}/projects/`],
      [alice, 'PATCH', `${ORGS}${o.org}/members/${bob.id}/`, { role: 'editor' }],
      [alice, 'PUT', `${ORGS}${o.org}/`, { name: 'x' }],
    ]
    for (const [user, method, url, json] of requests) {
      executed.clear()
      const res = await t.call(user, method, url, json)
      expect(res.statusCode).toBeLessThan(500)
      const roleReads = statements().filter((s) => s.includes('parent_role'))
      expect({ url, method, roleReads: roleReads.length }).toEqual({ url, method, roleReads: 1 })
    }
  })

  it('scopes the organization list in SQL: a count and a page, however many grants', async () => {
    const [owner, grantee] = [await t.user('owner'), await t.user('grantee')]
    for (let i = 0; i < 3; i++) {
      await makeOrganization(t.db, { [owner.id]: 'owner' }, { [grantee.id]: 'viewer' })
    }
    executed.clear()
    const res = await t.call(grantee, 'GET', `${ORGS}?page_size=1`)
    expectAnswer(res, 200)
    expect(res.json().count).toBe(3)
    expect(statements().filter((s) => s.includes('rbac_organizations'))).toHaveLength(2)
  })

  it('spends no statement on a key that cannot be one', async () => {
    executed.clear()
    expectAnswer(await t.call(bob, 'GET', `${ORGS}not-a-uuid/projects/`), 404, NOT_FOUND)
    expect(statements().filter((s) => s.includes('parent_role'))).toEqual([])
  })
})

describe('deleting an organization', () => {
  it('takes its projects and grants with it', async () => {
    expectAnswer(await t.call(dave, 'DELETE', `${ORGS}${org}/`), 204)
    expectAnswer(await t.call(dave, 'GET', `${ORGS}${org}/`), 404, NOT_FOUND)
    const left = await t.db
      .selectFrom('rbac_projects')
      .select('id')
      .where('organization_id', '=', org)
      .execute()
    expect(left).toEqual([])
  })
})
