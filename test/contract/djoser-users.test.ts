import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §5, djoser's users: /api/auth/users/, /users/{id}/ and /users/me/ (anchor bodies).
let t: TestApp
let alice: TestUser
let bob: TestUser
let admin: TestUser
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  admin = await t.user('admin', { is_staff: true })
})
afterAll(() => t?.close())

const me = '/api/auth/users/me/'
const get = (url: string, token?: string) => t.request({ method: 'GET', url, token })

describe('GET /api/auth/users/me/', () => {
  it('answers {"email","id","username"} in the anchor order', async () => {
    const res = await get(me, alice.token)
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json())).toEqual(['email', 'id', 'username'])
    expect(res.json()).toEqual({ email: alice.email, id: alice.id, username: 'alice' })
  })

  it('asks an anonymous request to log in (Basic first)', async () => {
    const res = await get(me)
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('answers any scheme: Basic too', async () => {
    const res = await t.request({ method: 'GET', url: me, basic: ['alice', PASSWORD] })
    expect(res.json().username).toBe('alice')
  })

  it('is 405 for POST, as DRF answers a method the action lacks', async () => {
    const res = await t.request({ method: 'POST', url: me, token: alice.token, json: {} })
    expect(res.statusCode).toBe(405)
    expect(res.json()).toEqual({ detail: 'Method "POST" not allowed.' })
  })
})

describe('PUT/PATCH /api/auth/users/me/', () => {
  const patch = (json: unknown, token = alice.token, url = me) =>
    t.request({ method: 'PATCH', url, token, json })

  it('changes the email', async () => {
    const res = await patch({ email: 'alice@example.org' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ email: 'alice@example.org', id: alice.id, username: 'alice' })
    const put = await t.request({
      method: 'PUT',
      url: me,
      token: alice.token,
      json: { email: alice.email },
    })
    expect(put.json()).toEqual({ email: alice.email, id: alice.id, username: 'alice' })
  })

  it("refuses another user's email, in any case", async () => {
    const res = await patch({ email: 'BOB@example.com' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ email: ['user with this email address already exists.'] })
  })

  it('lets a user re-case their own email', async () => {
    const res = await patch({ email: 'ALICE@example.com' })
    expect(res.json().email).toBe('ALICE@example.com')
    await patch({ email: alice.email })
  })

  it.each([
    [{}, { email: ['This field is required.'] }],
    [{ email: '' }, { email: ['This field may not be blank.'] }],
    [{ email: 'not-an-email' }, { email: ['Enter a valid email address.'] }],
    [{ email: null }, { email: ['This field may not be null.'] }],
  ])('PUT %j → 400 %j', async (json, errors) => {
    const res = await t.request({ method: 'PUT', url: me, token: alice.token, json })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(errors)
  })

  it('ignores read-only and unknown fields: no mass assignment', async () => {
    const res = await patch({
      username: 'mallory',
      id: '00000000-0000-4000-8000-000000000000',
      is_staff: true,
      is_superuser: true,
      is_active: false,
      password: 'x',
      name: 'Mallory',
      last_login: '2000-01-01T00:00:00Z',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ email: alice.email, id: alice.id, username: 'alice' })
    const row = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', alice.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ username: 'alice', name: '' })
    expect(Boolean(row.is_staff) || Boolean(row.is_superuser) || !row.is_active).toBe(false)
    expect(row.last_login).toBeNull()
    expect((await get(me, alice.token)).statusCode).toBe(200)
  })
})

describe('GET /api/auth/users/ (HIDE_USERS)', () => {
  it('lists only the requester, paginated', async () => {
    const res = await get('/api/auth/users/', alice.token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [{ email: alice.email, id: alice.id, username: 'alice' }],
    })
  })

  it('lists everyone for staff', async () => {
    const res = await get('/api/auth/users/', admin.token)
    expect(res.json().count).toBe(3)
    expect(res.json().results.map((u: { username: string }) => u.username)).toEqual([
      'alice',
      'bob',
      'admin',
    ])
  })

  it('is for authenticated users only', async () => {
    expect((await get('/api/auth/users/')).statusCode).toBe(401)
  })
})

describe('/api/auth/users/{id}/', () => {
  const url = (id: string) => `/api/auth/users/${id}/`

  it("shows the requester's own", async () => {
    const res = await get(url(alice.id), alice.token)
    expect(res.json()).toEqual({ email: alice.email, id: alice.id, username: 'alice' })
  })

  it("answers another user's id exactly as a missing one: 404", async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      const theirs = await t.request({
        method,
        url: url(bob.id),
        token: alice.token,
        json: { email: 'x@example.com', current_password: PASSWORD },
      })
      expect(theirs.statusCode).toBe(404)
      expect(theirs.json()).toEqual({ detail: 'Not found.' })
    }
    const missing = await get(url('00000000-0000-4000-8000-000000000000'), alice.token)
    expect(missing.statusCode).toBe(404)
    expect(missing.body).toBe((await get(url(bob.id), alice.token)).body)
    expect((await get(url('not-a-uuid'), alice.token)).statusCode).toBe(404)
    expect((await get(me, bob.token)).json().email).toBe(bob.email)
  })

  it('lets staff see and change any user', async () => {
    expect((await get(url(bob.id), admin.token)).json().username).toBe('bob')
    const res = await t.request({
      method: 'PATCH',
      url: url(bob.id),
      token: admin.token,
      json: { email: 'bobby@example.com', is_staff: true },
    })
    expect(res.json()).toEqual({ email: 'bobby@example.com', id: bob.id, username: 'bob' })
    const row = await t.db
      .selectFrom('users')
      .select('is_staff')
      .where('id', '=', bob.id)
      .executeTakeFirstOrThrow()
    expect(Boolean(row.is_staff)).toBe(false)
    await t.request({
      method: 'PATCH',
      url: url(bob.id),
      token: admin.token,
      json: { email: bob.email },
    })
  })

  it("answers GET on an action's path with 405, as DRF's router does", async () => {
    const res = await get('/api/auth/users/set_password/', alice.token)
    expect(res.statusCode).toBe(405)
    expect(res.json()).toEqual({ detail: 'Method "GET" not allowed.' })
  })
})

describe('DELETE /api/auth/users/me/', () => {
  it('needs the current password', async () => {
    const carol = await t.user('carol')
    const del = (json: unknown) =>
      t.request({ method: 'DELETE', url: me, token: carol.token, json })
    expect((await del({ current_password: 'wrong' })).json()).toEqual({
      current_password: ['Invalid password.'],
    })
    expect((await del({})).json()).toEqual({ current_password: ['This field is required.'] })
    const ok = await del({ current_password: PASSWORD })
    expect(ok.statusCode).toBe(204)
    expect(ok.body).toBe('')
  })

  it('deletes the user and everything of theirs: the token stops, login fails', async () => {
    const dave = await t.user('dave')
    const res = await t.request({
      method: 'DELETE',
      url: me,
      token: dave.token,
      json: { current_password: PASSWORD },
    })
    expect(res.statusCode).toBe(204)
    expect((await get(me, dave.token)).json()).toEqual({ detail: 'Invalid token.' })
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/token/login/',
      json: { username: 'dave', password: PASSWORD },
    })
    expect(login.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
    const tokens = await t.db
      .selectFrom('auth_tokens')
      .select('id')
      .where('user_id', '=', dave.id)
      .execute()
    expect(tokens).toEqual([])
  })

  it("checks the requester's password when staff delete another user", async () => {
    const erin = await t.user('erin')
    const url = `/api/auth/users/${erin.id}/`
    const wrong = await t.request({
      method: 'DELETE',
      url,
      token: admin.token,
      json: { current_password: 'x' },
    })
    expect(wrong.statusCode).toBe(400)
    const res = await t.request({
      method: 'DELETE',
      url,
      token: admin.token,
      json: { current_password: PASSWORD },
    })
    expect(res.statusCode).toBe(204)
    expect((await get(url, admin.token)).statusCode).toBe(404)
  })
})
