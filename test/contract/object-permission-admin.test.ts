import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// `/api/auth/object-permissions/`: staff grant a permission on one object (guardian's assign_perm).
let t: TestApp
let admin: TestUser
let alice: TestUser
const url = '/api/auth/object-permissions/'
const grantBody = (holder: Record<string, unknown>) => ({
  codename: 'bucketlists.view_bucketlist',
  object_type: 'bucketlists.bucketlist',
  object_id: '7',
  ...holder,
})

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.user('admin', { is_staff: true, is_superuser: true })
  alice = await t.user('alice')
})
afterAll(() => t?.close())

describe('object permissions admin', () => {
  it('is staff only', async () => {
    expect((await t.request({ url, token: alice.token })).statusCode).toBe(403)
    expect(
      (
        await t.request({
          method: 'POST',
          url,
          token: alice.token,
          json: grantBody({ user_id: alice.id }),
        })
      ).statusCode,
    ).toBe(403)
    expect((await t.request({ url })).statusCode).toBe(401)
  })

  it("refuses a group id past a 32-bit column's range as DRF does, not with a 500", async () => {
    for (const [group_id, message] of [
      [2147483648, 'Ensure this value is less than or equal to 2147483647.'],
      [-2147483649, 'Ensure this value is greater than or equal to -2147483648.'],
    ] as const) {
      const answer = await t.request({
        method: 'POST',
        url,
        token: admin.token,
        json: grantBody({ group_id }),
      })
      expect(answer.statusCode).toBe(400)
      expect(answer.json()).toEqual({ group_id: [message] })
    }
  })

  it('grants to a user, lists with filters, refuses a duplicate, revokes', async () => {
    const created = await t.request({
      method: 'POST',
      url,
      token: admin.token,
      json: grantBody({ user_id: alice.id }),
    })
    expect(created.statusCode).toBe(201)
    const { id } = created.json()
    expect(created.json()).toEqual({ id, ...grantBody({ user_id: alice.id, group_id: null }) })
    const again = await t.request({
      method: 'POST',
      url,
      token: admin.token,
      json: grantBody({ user_id: alice.id }),
    })
    expect(again.json()).toEqual({ non_field_errors: ['This permission is already granted.'] })
    const mine = await t.request({ url: `${url}?user_id=${alice.id}`, token: admin.token })
    expect(mine.json()).toMatchObject({ count: 1, results: [{ id }] })
    const other = await t.request({ url: `${url}?object_id=8`, token: admin.token })
    expect(other.json().count).toBe(0)
    const junk = await t.request({ url: `${url}?group_id=abc`, token: admin.token })
    expect(junk.json().count).toBe(0)
    const del = await t.request({ method: 'DELETE', url: `${url}${id}/`, token: admin.token })
    expect(del.statusCode).toBe(204)
    expect((await t.request({ url, token: admin.token })).json().count).toBe(0)
  })

  it('needs exactly one existing holder and well-formed names', async () => {
    const post = (json: unknown) => t.request({ method: 'POST', url, token: admin.token, json })
    expect((await post(grantBody({}))).json()).toEqual({
      non_field_errors: ['Name exactly one of user_id and group_id.'],
    })
    const group = await post(grantBody({ group_id: 999 }))
    expect(group.json()).toEqual({ group_id: ['Invalid pk "999" - object does not exist.'] })
    const bad = await post({ ...grantBody({ user_id: alice.id }), codename: 'view' })
    expect(bad.json()).toEqual({ codename: ['Enter a codename like app.action_model.'] })
  })
})
