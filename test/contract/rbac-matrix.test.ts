import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRbacTestApp,
  makeOrganization,
  type OrgFixture,
  type RbacTestApp,
} from '../helpers/rbac-app.ts'
import type { TestUser } from '../helpers/test-app.ts'

// API.md §8's authorization matrix, generated from ONE table: endpoint × method × actor → status.
// Every cell runs on a fresh organization (made in the database), so no cell depends on another.

const ACTORS = [
  'anonymous',
  'stranger',
  'projectOnly',
  'viewer',
  'editor',
  'admin',
  'owner',
] as const
type Actor = (typeof ACTORS)[number]

/** Who plays each actor, plus the users the requests name. */
type Cast = Record<Exclude<Actor, 'anonymous'> | 'member' | 'newcomer', TestUser>

/** One row: a request on an organization, and the status each actor gets, in ACTORS order. */
interface Row {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: (o: OrgFixture, c: Cast) => string
  body?: (c: Cast) => unknown
  expect: [number, number, number, number, number, number, number]
}

const ORGS = '/rbac/organizations/'
const org = (o: OrgFixture) => `${ORGS}${o.org}/`
const granted = (o: OrgFixture) => `${org(o)}projects/${o.granted}/`
const other = (o: OrgFixture) => `${org(o)}projects/${o.other}/`

type Statuses = Row['expect']
const row = (
  method: Row['method'],
  name: string,
  path: Row['path'],
  expect: Statuses,
  body?: Row['body'],
): Row => ({ name, method, path, expect, body })
const member = (o: OrgFixture, c: Cast) => `${org(o)}members/${c.member.id}/`
const grant = (o: OrgFixture, c: Cast) => `${granted(o)}members/${c.projectOnly.id}/`
const newcomer = (role: string) => (c: Cast) => ({ user_id: c.newcomer.id, role })
const named = (name: string) => () => ({ name })

// biome-ignore format: one row per line, so the table reads as API.md's
const TABLE: Row[] = [
  //                                                                           anon stranger project viewer editor admin owner
  row('GET',    'list organizations',          () => ORGS,                     [401, 200, 200, 200, 200, 200, 200]),
  row('POST',   'create an organization',      () => ORGS,                     [401, 201, 201, 201, 201, 201, 201], named('New')),
  row('GET',    'read the organization',       org,                            [401, 404, 200, 200, 200, 200, 200]),
  row('PATCH',  'rename the organization',     org,                            [401, 404, 403, 403, 403, 200, 200], named('Renamed')),
  row('PUT',    'replace the organization',    org,                            [401, 404, 405, 405, 405, 405, 405], named('Put')),
  row('DELETE', 'delete the organization',     org,                            [401, 404, 403, 403, 403, 403, 204]),
  row('GET',    'list members',                (o) => `${org(o)}members/`,     [401, 404, 404, 200, 200, 200, 200]),
  row('GET',    'read a member',               member,                         [401, 404, 404, 200, 200, 200, 200]),
  row('POST',   'add a member',                (o) => `${org(o)}members/`,     [401, 404, 404, 403, 403, 201, 201], newcomer('viewer')),
  row('PATCH',  "change a member's role",      member,                         [401, 404, 404, 403, 403, 200, 200], () => ({ role: 'editor' })),
  row('DELETE', 'remove a member',             member,                         [401, 404, 404, 403, 403, 204, 204]),
  row('GET',    'list projects',               (o) => `${org(o)}projects/`,    [401, 404, 200, 200, 200, 200, 200]),
  row('POST',   'create a project',            (o) => `${org(o)}projects/`,    [401, 404, 403, 403, 201, 201, 201], named('Drill')),
  row('GET',    'read the granted project',    granted,                        [401, 404, 200, 200, 200, 200, 200]),
  row('PATCH',  'rename the granted project',  granted,                        [401, 404, 200, 403, 200, 200, 200], named('Rocket 2')),
  row('PUT',    'replace the granted project', granted,                        [401, 404, 405, 405, 405, 405, 405], named('Put')),
  row('DELETE', 'delete the granted project',  granted,                        [401, 404, 403, 403, 403, 204, 204]),
  row('GET',    'read another project',        other,                          [401, 404, 404, 200, 200, 200, 200]),
  row('PATCH',  'rename another project',      other,                          [401, 404, 404, 403, 200, 200, 200], named('Anvil 2')),
  row('DELETE', 'delete another project',      other,                          [401, 404, 404, 403, 403, 204, 204]),
  row('GET',    'list project grants',         (o) => `${granted(o)}members/`, [401, 404, 200, 200, 200, 200, 200]),
  row('GET',    'read a project grant',        grant,                          [401, 404, 200, 200, 200, 200, 200]),
  row('POST',   'grant a role on the project', (o) => `${granted(o)}members/`, [401, 404, 403, 403, 403, 201, 201], newcomer('viewer')),
  row('PATCH',  'change a project grant',      grant,                          [401, 404, 403, 403, 403, 200, 200], () => ({ role: 'viewer' })),
  row('DELETE', 'remove a project grant',      grant,                          [401, 404, 403, 403, 403, 204, 204]),
  row('GET',    'grants of a hidden project',  (o) => `${other(o)}members/`,   [401, 404, 404, 200, 200, 200, 200]),
]

let t: RbacTestApp
let cast: Cast

beforeAll(async () => {
  t = await createRbacTestApp()
  const names = [
    'stranger',
    'projectOnly',
    'viewer',
    'editor',
    'admin',
    'owner',
    'member',
    'newcomer',
  ] as const
  const users = await Promise.all(names.map((n) => t.user(n.toLowerCase())))
  cast = Object.fromEntries(names.map((n, i) => [n, users[i]])) as Cast
})
afterAll(() => t?.close())

/** A fresh organization where every actor holds the role its name says. */
function freshOrganization() {
  return makeOrganization(
    t.db,
    {
      [cast.owner.id]: 'owner',
      [cast.admin.id]: 'admin',
      [cast.editor.id]: 'editor',
      [cast.viewer.id]: 'viewer',
      [cast.member.id]: 'viewer',
    },
    { [cast.projectOnly.id]: 'editor' },
  )
}

describe('API.md §8: endpoint × method × actor → status', () => {
  const cells = TABLE.flatMap((row) =>
    ACTORS.map((actor, i) => ({ row, actor, status: row.expect[i] })),
  )
  it.each(cells)('$row.method $row.name as $actor → $status', async ({ row, actor, status }) => {
    const fixture = await freshOrganization()
    const user = actor === 'anonymous' ? null : cast[actor]
    const res = await t.call(user, row.method, row.path(fixture, cast), row.body?.(cast))
    // The body rides along so a wrong status shows why.
    expect({ status: res.statusCode, body: res.body }).toMatchObject({ status })
  })

  it('covers every actor of every row', () => {
    expect(cells).toHaveLength(TABLE.length * ACTORS.length)
  })
})
