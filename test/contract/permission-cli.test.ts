import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manage as runManage } from '../helpers/cli.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// `npm run manage -- grant/revoke/group-…` against the database a running server uses.
let t: TestApp
let staff: TestUser
let alice: TestUser

beforeAll(async () => {
  t = await createTestApp()
  staff = await t.user('staffer', { is_staff: true })
  alice = await t.user('alice')
})
afterAll(() => t?.close())

const manage = (...args: string[]) => runManage(t.url, args)
const permissionsOfAlice = async () =>
  (await t.request({ url: `/api/auth/users/${alice.id}/permissions/`, token: staff.token })).json()

describe('manage grant and revoke', () => {
  it('grants to a user and revokes, visible through the API', async () => {
    const granted = await manage('grant', 'alice', 'bucketlists.add_bucketlist', 'x.view_y')
    expect(granted).toMatchObject({ code: 0, stderr: '' })
    expect(granted.stdout).toContain('Granted bucketlists.add_bucketlist, x.view_y to alice.')
    expect((await permissionsOfAlice()).permissions).toEqual([
      'bucketlists.add_bucketlist',
      'x.view_y',
    ])
    expect((await manage('revoke', 'alice', 'x.view_y')).code).toBe(0)
    expect((await permissionsOfAlice()).permissions).toEqual(['bucketlists.add_bucketlist'])
  })

  it('grants to an @GROUP its members hold', async () => {
    expect((await manage('group-create', 'editors')).code).toBe(0)
    expect((await manage('group-add-user', '@editors', 'alice')).code).toBe(0)
    expect((await manage('grant', '@editors', 'surveys.change_survey')).code).toBe(0)
    expect((await permissionsOfAlice()).all_permissions).toContain('surveys.change_survey')
    expect((await manage('group-remove-user', '@editors', 'alice')).code).toBe(0)
    expect((await permissionsOfAlice()).all_permissions).not.toContain('surveys.change_survey')
  })

  it('grants and revokes on one object with --on', async () => {
    const on = ['--on', 'bucketlists.bucketlist:7']
    expect((await manage('grant', 'alice', 'bucketlists.view_bucketlist', ...on)).code).toBe(0)
    const url = `/api/auth/object-permissions/?user_id=${alice.id}`
    const grants = (await t.request({ url, token: staff.token })).json()
    expect(grants.results).toMatchObject([
      {
        codename: 'bucketlists.view_bucketlist',
        object_type: 'bucketlists.bucketlist',
        object_id: '7',
      },
    ])
    expect((await manage('revoke', 'alice', 'bucketlists.view_bucketlist', ...on)).code).toBe(0)
    expect((await t.request({ url, token: staff.token })).json().count).toBe(0)
  })

  it('refuses unknown users and groups, and malformed codenames, with one line and exit 1', async () => {
    const user = await manage('grant', 'nobody', 'a.add_b')
    expect(user).toMatchObject({ code: 1, stderr: "user 'nobody' does not exist\n" })
    const group = await manage('grant', '@ghosts', 'a.add_b')
    expect(group).toMatchObject({ code: 1, stderr: "group 'ghosts' does not exist\n" })
    const codename = await manage('grant', 'alice', 'add_b')
    expect(codename.code).toBe(1)
    expect(codename.stderr).toContain('not a permission codename')
    const { count } = await t.db
      .selectFrom('auth_groups')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('name', '=', 'ghosts')
      .executeTakeFirstOrThrow()
    expect(Number(count)).toBe(0)
  })
})
