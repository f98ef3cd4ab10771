import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Who may change whom (issue 17, item 5): a staff user who is not a superuser changes neither a
// superuser nor anyone holding what they lack, and grants only what they hold. Refusals are 403
// with a detail: staff may see these users, so hiding them as 404 would tell nothing new.
let t: TestApp
let root: TestUser
let staff: TestUser
let alice: TestUser
let powerful: TestUser

const ADD = 'bucketlists.add_bucketlist'
const DELETE = 'bucketlists.delete_bucketlist'

beforeAll(async () => {
  t = await createTestApp()
  root = await t.user('root', { is_staff: true, is_superuser: true })
  staff = await t.user('staffer', { is_staff: true })
  alice = await t.user('alice')
  powerful = await t.user('powerful', { is_staff: true })
  // The staff user holds ADD; `powerful` holds DELETE too.
  for (const [user, codenames] of [
    [staff, [ADD]],
    [powerful, [ADD, DELETE]],
  ] as const) {
    const res = await t.request({
      method: 'POST',
      url: `/api/auth/users/${user.id}/permissions/`,
      token: root.token,
      json: { permissions: codenames },
    })
    expect(res.statusCode).toBe(200)
  }
})
afterAll(() => t?.close())

const patch = (url: string, token: string, json: unknown) =>
  t.request({ method: 'PATCH', url, token, json })

async function emailOf(user: TestUser) {
  const res = await t.request({ url: `/api/auth/users/${user.id}/`, token: root.token })
  return res.json().email
}

describe("changing another user's account", () => {
  it("refuses a staff user's change of a superuser's email, and changes nothing", async () => {
    const res = await patch(`/api/auth/users/${root.id}/`, staff.token, {
      email: 'attacker@evil.example',
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({ detail: 'Only a superuser may change a superuser.' })
    expect(await emailOf(root)).toBe(root.email)
    const put = await t.request({
      method: 'PUT',
      url: `/api/auth/users/${root.id}/`,
      token: staff.token,
      json: { email: 'attacker@evil.example' },
    })
    expect(put.statusCode).toBe(403)
    const del = await t.request({
      method: 'DELETE',
      url: `/api/auth/users/${root.id}/`,
      token: staff.token,
      json: { current_password: 'x' },
    })
    expect(del.statusCode).toBe(403)
    expect(await emailOf(root)).toBe(root.email)
  })

  it('refuses a change of a user who holds permissions the staff user lacks', async () => {
    const res = await patch(`/api/auth/users/${powerful.id}/`, staff.token, {
      email: 'taken-over@evil.example',
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({
      detail: 'You may not change a user who holds permissions you do not hold.',
    })
    expect(await emailOf(powerful)).toBe(powerful.email)
  })

  it('lets staff change a user who holds nothing they lack, and a superuser change anyone', async () => {
    const byStaff = await patch(`/api/auth/users/${alice.id}/`, staff.token, {
      email: 'alice2@example.com',
    })
    expect(byStaff.statusCode).toBe(200)
    expect(byStaff.json().email).toBe('alice2@example.com')
    const byRoot = await patch(`/api/auth/users/${powerful.id}/`, root.token, {
      email: 'powerful2@example.com',
    })
    expect(byRoot.statusCode).toBe(200)
  })

  it('never takes is_staff or is_superuser from a body', async () => {
    const res = await patch('/api/auth/users/me/', staff.token, { is_superuser: true })
    expect(res.statusCode).toBe(200)
    const other = await patch(`/api/auth/users/${root.id}/`, staff.token, {})
    expect(other.statusCode).toBe(403)
    const mine = await t.request({
      url: `/api/auth/users/${staff.id}/permissions/`,
      token: root.token,
    })
    expect(mine.json().all_permissions).toEqual([ADD])
    const escalated = await t.request({
      method: 'POST',
      url: `/api/auth/users/${root.id}/permissions/`,
      token: staff.token,
      json: { permissions: [ADD] },
    })
    expect(escalated.statusCode).toBe(403)
  })
})

describe('granting permissions', () => {
  it('refuses to let staff grant themselves what they do not hold, and grants nothing', async () => {
    const url = `/api/auth/users/${staff.id}/permissions/`
    const res = await t.request({
      method: 'POST',
      url,
      token: staff.token,
      json: { permissions: [ADD, DELETE] },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({
      detail: `You may not grant permissions you do not hold: ${DELETE}.`,
    })
    const after = await t.request({ url, token: root.token })
    expect(after.json().permissions).toEqual([ADD])
  })

  it('lets staff grant a user what they hold themselves', async () => {
    const res = await t.request({
      method: 'POST',
      url: `/api/auth/users/${alice.id}/permissions/`,
      token: staff.token,
      json: { permissions: [ADD] },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().permissions).toEqual([ADD])
  })

  it("refuses a grant to a group, or a place in a group, beyond the granter's own", async () => {
    const group = await t.request({
      method: 'POST',
      url: '/api/auth/groups/',
      token: staff.token,
      json: { name: 'deleters' },
    })
    expect(group.statusCode).toBe(201)
    const { id } = group.json()
    const granted = await t.request({
      method: 'POST',
      url: `/api/auth/groups/${id}/permissions/`,
      token: staff.token,
      json: { permissions: [DELETE] },
    })
    expect(granted.statusCode).toBe(403)
    expect(granted.json()).toEqual({
      detail: `You may not grant permissions you do not hold: ${DELETE}.`,
    })
    // Granted by the superuser, the group is then out of the staff user's reach to join.
    await t.request({
      method: 'POST',
      url: `/api/auth/groups/${id}/permissions/`,
      token: root.token,
      json: { permissions: [DELETE] },
    })
    const joined = await t.request({
      method: 'POST',
      url: `/api/auth/groups/${id}/users/`,
      token: staff.token,
      json: { user_id: staff.id },
    })
    expect(joined.statusCode).toBe(403)
    expect(joined.json()).toEqual({
      detail: `You may not add a user to a group holding permissions you do not hold: ${DELETE}.`,
    })
    const members = await t.request({ url: `/api/auth/groups/${id}/users/`, token: root.token })
    expect(members.json()).toEqual([])
  })

  it('refuses an object permission the granter does not hold, and one for a superuser', async () => {
    const url = '/api/auth/object-permissions/'
    const grant = (user: TestUser, codename: string) =>
      t.request({
        method: 'POST',
        url,
        token: staff.token,
        json: { codename, object_type: 'bucketlists.bucketlist', object_id: '1', user_id: user.id },
      })
    const lacking = await grant(staff, DELETE)
    expect(lacking.statusCode).toBe(403)
    expect(lacking.json()).toEqual({
      detail: `You may not grant permissions you do not hold: ${DELETE}.`,
    })
    expect((await grant(root, ADD)).statusCode).toBe(403)
    expect((await grant(alice, ADD)).statusCode).toBe(201)
    const list = await t.request({ url, token: root.token })
    expect(list.json().count).toBe(1)
  })
})
