import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// The endpoints a staff user manages groups and grants with (Django admin's, as an API).
let t: TestApp
let admin: TestUser
let member: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.user('admin', { is_staff: true, is_superuser: true })
  member = await t.user('member')
})
afterAll(() => t?.close())

const as = (u: TestUser) => u.token

describe('groups admin', () => {
  it('is staff only: a non-staff user gets 403, no credentials 401', async () => {
    const denied = await t.request({ url: '/api/auth/groups/', token: as(member) })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toEqual({ detail: 'You do not have permission to perform this action.' })
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/api/auth/groups/',
          token: as(member),
          json: { name: 'sneaky' },
        })
      ).statusCode,
    ).toBe(403)
    expect((await t.request({ url: '/api/auth/groups/' })).statusCode).toBe(401)
    expect(
      (await t.request({ url: `/api/auth/users/${member.id}/permissions/`, token: as(member) }))
        .statusCode,
    ).toBe(403)
  })

  it('creates, lists, renames and deletes groups', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/auth/groups/',
      token: as(admin),
      json: { name: 'editors' },
    })
    expect(created.statusCode).toBe(201)
    const { id } = created.json()
    expect(created.json()).toEqual({ id, name: 'editors' })
    const again = await t.request({
      method: 'POST',
      url: '/api/auth/groups/',
      token: as(admin),
      json: { name: 'editors' },
    })
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual({ name: ['group with this name already exists.'] })
    const list = await t.request({ url: '/api/auth/groups/', token: as(admin) })
    expect(list.json()).toMatchObject({ count: 1, results: [{ id, name: 'editors' }] })
    const renamed = await t.request({
      method: 'PATCH',
      url: `/api/auth/groups/${id}/`,
      token: as(admin),
      json: { name: 'writers' },
    })
    expect(renamed.json()).toEqual({ id, name: 'writers' })
    const del = await t.request({
      method: 'DELETE',
      url: `/api/auth/groups/${id}/`,
      token: as(admin),
    })
    expect(del.statusCode).toBe(204)
    expect((await t.request({ url: `/api/auth/groups/${id}/`, token: as(admin) })).statusCode).toBe(
      404,
    )
  })

  it('adds and removes members, and grants through the group reach them', async () => {
    const { id } = (
      await t.request({
        method: 'POST',
        url: '/api/auth/groups/',
        token: as(admin),
        json: { name: 'reviewers' },
      })
    ).json()
    const users = `/api/auth/groups/${id}/users/`
    const added = await t.request({
      method: 'POST',
      url: users,
      token: as(admin),
      json: { user_id: member.id },
    })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toEqual({ id: member.id, username: 'member' })
    const unknown = await t.request({
      method: 'POST',
      url: users,
      token: as(admin),
      json: { user_id: 'nobody' },
    })
    expect(unknown.json()).toEqual({ user_id: ['Invalid pk "nobody" - object does not exist.'] })
    expect((await t.request({ url: users, token: as(admin) })).json()).toEqual([
      { id: member.id, username: 'member' },
    ])

    const perms = `/api/auth/groups/${id}/permissions/`
    const granted = await t.request({
      method: 'POST',
      url: perms,
      token: as(admin),
      json: { permissions: ['surveys.change_survey', 'surveys.add_survey'] },
    })
    expect(granted.json()).toEqual({
      permissions: ['surveys.add_survey', 'surveys.change_survey'],
    })
    const bad = await t.request({
      method: 'POST',
      url: perms,
      token: as(admin),
      json: { permissions: ['nonsense'] },
    })
    expect(bad.statusCode).toBe(400)
    const notList = await t.request({
      method: 'POST',
      url: perms,
      token: as(admin),
      json: { permissions: 'a.add_b' },
    })
    expect(notList.json()).toEqual({
      permissions: ['Expected a list of items but got type "str".'],
    })
    expect(bad.json()).toEqual({
      permissions: ['"nonsense" is not a permission codename (app.action_model).'],
    })
    const userPerms = `/api/auth/users/${member.id}/permissions/`
    expect((await t.request({ url: userPerms, token: as(admin) })).json()).toEqual({
      permissions: [],
      all_permissions: ['surveys.add_survey', 'surveys.change_survey'],
    })
    const revoked = await t.request({
      method: 'DELETE',
      url: perms,
      token: as(admin),
      json: { permissions: ['surveys.add_survey'] },
    })
    expect(revoked.json()).toEqual({ permissions: ['surveys.change_survey'] })

    const removed = await t.request({
      method: 'DELETE',
      url: `${users}${member.id}/`,
      token: as(admin),
    })
    expect(removed.statusCode).toBe(204)
    expect(
      (await t.request({ method: 'DELETE', url: `${users}${member.id}/`, token: as(admin) }))
        .statusCode,
    ).toBe(404)
    expect((await t.request({ url: userPerms, token: as(admin) })).json().all_permissions).toEqual(
      [],
    )
  })

  it("deleting a group takes its members' grants through it away", async () => {
    const post = (url: string, json: unknown) =>
      t.request({ method: 'POST', url, token: as(admin), json })
    const { id } = (await post('/api/auth/groups/', { name: 'doomed' })).json()
    await post(`/api/auth/groups/${id}/users/`, { user_id: member.id })
    await post(`/api/auth/groups/${id}/permissions/`, { permissions: ['a.view_b'] })
    const userPerms = `/api/auth/users/${member.id}/permissions/`
    expect((await t.request({ url: userPerms, token: as(admin) })).json().all_permissions).toEqual([
      'a.view_b',
    ])
    await t.request({ method: 'DELETE', url: `/api/auth/groups/${id}/`, token: as(admin) })
    expect((await t.request({ url: userPerms, token: as(admin) })).json().all_permissions).toEqual(
      [],
    )
  })

  it("grants to and revokes from a user's own permissions", async () => {
    const url = `/api/auth/users/${member.id}/permissions/`
    const granted = await t.request({
      method: 'POST',
      url,
      token: as(admin),
      json: { permissions: ['bucketlists.add_bucketlist'] },
    })
    expect(granted.json()).toEqual({
      permissions: ['bucketlists.add_bucketlist'],
      all_permissions: ['bucketlists.add_bucketlist'],
    })
    const revoked = await t.request({
      method: 'DELETE',
      url,
      token: as(admin),
      json: { permissions: ['bucketlists.add_bucketlist'] },
    })
    expect(revoked.json().permissions).toEqual([])
    expect(
      (await t.request({ url: '/api/auth/users/not-a-uuid/permissions/', token: as(admin) }))
        .statusCode,
    ).toBe(404)
  })
})
