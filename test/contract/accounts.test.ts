import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// API.md §1 and §5: registration with Django's validators, djoser's token login and logout.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

const register = (json: unknown) => t.request({ method: 'POST', url: '/api/auth/users/', json })
const tokenLogin = (json: unknown) =>
  t.request({ method: 'POST', url: '/api/auth/token/login/', json })

describe('registration: POST /api/auth/users/', () => {
  it("creates an active user and answers djoser's body", async () => {
    const res = await register({
      username: 'alice',
      email: 'alice@example.com',
      password: PASSWORD,
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(Object.keys(body)).toEqual(['email', 'username', 'id'])
    expect(body).toMatchObject({ email: 'alice@example.com', username: 'alice' })
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect((await tokenLogin({ username: 'alice', password: PASSWORD })).statusCode).toBe(200)
  })

  it.each([
    [
      { username: 'alice', email: 'other@example.com', password: PASSWORD },
      { username: ['A user with that username already exists.'] },
    ],
    [
      { username: 'alice2', email: 'ALICE@example.com', password: PASSWORD },
      { email: ['user with this email address already exists.'] },
    ],
    [{ username: 'noemail', password: PASSWORD }, { email: ['This field is required.'] }],
    [
      { username: 'bademail', email: 'not-an-email', password: PASSWORD },
      { email: ['Enter a valid email address.'] },
    ],
    [
      { username: 'bad name!', email: 'bn@example.com', password: PASSWORD },
      {
        username: [
          'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
        ],
      },
    ],
    [
      { username: 'x'.repeat(151), email: 'long@example.com', password: PASSWORD },
      { username: ['Ensure this field has no more than 150 characters.'] },
    ],
    [
      {},
      {
        username: ['This field is required.'],
        email: ['This field is required.'],
        password: ['This field is required.'],
      },
    ],
    [
      { username: 'weak', email: 'weak@example.com', password: '123' },
      {
        password: [
          'This password is too short. It must contain at least 8 characters.',
          'This password is too common.',
          'This password is entirely numeric.',
        ],
      },
    ],
    [
      { username: 'charlie_brown', email: 'cb@example.com', password: 'charlie_brown1' },
      { password: ['The password is too similar to the username.'] },
    ],
    [
      { username: 'pw', email: 'pw@example.com', password: 'password' },
      { password: ['This password is too common.'] },
    ],
  ])('refuses %j', async (json, errors) => {
    const res = await register(json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(errors)
  })

  it('accepts a long passphrase without truncating it', async () => {
    const long = `${'correct horse battery staple '.repeat(4)}!`
    expect(
      (await register({ username: 'longpw', email: 'longpw@example.com', password: long }))
        .statusCode,
    ).toBe(201)
    expect((await tokenLogin({ username: 'longpw', password: long })).statusCode).toBe(200)
    expect((await tokenLogin({ username: 'longpw', password: long.slice(0, -1) })).statusCode).toBe(
      400,
    )
  })

  it('gives one 201 and 400s to concurrent registrations of one username', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        register({ username: 'racer', email: `racer${i}@example.com`, password: PASSWORD }),
      ),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400, 400])
    for (const r of results.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ username: ['A user with that username already exists.'] })
    }
  })
})

describe('token login and logout', () => {
  beforeAll(async () => {
    await register({ username: 'bob', email: 'bob@example.com', password: PASSWORD })
  })

  it('logs in by username or email and mints a new token per login', async () => {
    const first = await tokenLogin({ username: 'bob', password: PASSWORD })
    expect(first.statusCode).toBe(200)
    expect(first.json().auth_token).toMatch(/^[0-9a-f]{40}$/)
    const second = await tokenLogin({ username: 'BOB@example.com', password: PASSWORD })
    expect(second.statusCode).toBe(200)
    expect(second.json().auth_token).not.toBe(first.json().auth_token)
  })

  it.each([
    [{ username: 'bob', password: 'wrong' }],
    [{ username: 'nobody', password: PASSWORD }],
    [{}],
    [{ username: 'bob' }],
  ])('answers %j with the same non-field error', async (json) => {
    const res = await tokenLogin(json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
  })

  it('logs out only the token that sent the logout', async () => {
    const phone = (await tokenLogin({ username: 'bob', password: PASSWORD })).json().auth_token
    const laptop = (await tokenLogin({ username: 'bob', password: PASSWORD })).json().auth_token
    const out = await t.request({ method: 'POST', url: '/api/auth/token/logout/', token: phone })
    expect(out.statusCode).toBe(204)
    const after = await t.request({ method: 'GET', url: '/bucketlists/', token: phone })
    expect(after.statusCode).toBe(401)
    expect(after.json()).toEqual({ detail: 'Invalid token.' })
    expect(
      (await t.request({ method: 'GET', url: '/bucketlists/', token: laptop })).statusCode,
    ).toBe(200)
  })

  it('needs credentials to log out', async () => {
    const res = await t.request({ method: 'POST', url: '/api/auth/token/logout/' })
    expect(res.statusCode).toBe(401)
  })

  it("obtains a token at /get-token/ with DRF's field errors", async () => {
    const ok = await t.request({
      method: 'POST',
      url: '/get-token/',
      json: { username: 'bob', password: PASSWORD },
    })
    expect(ok.statusCode).toBe(200)
    expect(Object.keys(ok.json())).toEqual(['token'])
    expect(
      (await t.request({ method: 'GET', url: '/bucketlists/', token: ok.json().token })).statusCode,
    ).toBe(200)
    const missing = await t.request({ method: 'POST', url: '/get-token/', json: {} })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({
      username: ['This field is required.'],
      password: ['This field is required.'],
    })
    const bad = await t.request({
      method: 'POST',
      url: '/get-token/',
      json: { username: 'bob', password: 'nope' },
    })
    expect(bad.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
  })

  it("checks djoser's login fields as CharFields, a missing one being the login's own error", async () => {
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{}, { non_field_errors: ['Unable to log in with provided credentials.'] }],
      [{ username: 'bob' }, { non_field_errors: ['Unable to log in with provided credentials.'] }],
      [{ username: '', password: 'x' }, { username: ['This field may not be blank.'] }],
      [{ username: 'bob', password: '  ' }, { password: ['This field may not be blank.'] }],
      [{ username: null, password: 'x' }, { username: ['This field may not be null.'] }],
      [{ username: ['bob'], password: 'x' }, { username: ['Not a valid string.'] }],
      // A null character never reaches the database (PostgreSQL answered it with a 500).
      [
        { username: 'b\u0000ob', password: true },
        { password: ['Not a valid string.'], username: ['Null characters are not allowed.'] },
      ],
    ]
    for (const [json, errors] of cases) {
      const res = await tokenLogin(json)
      expect(res.statusCode, JSON.stringify(json)).toBe(400)
      expect(res.json()).toEqual(errors)
    }
  })

  it("refuses an inactive user's login like a wrong password", async () => {
    await t.user('sleepy', { is_active: false })
    const res = await tokenLogin({ username: 'sleepy', password: PASSWORD })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
  })

  it('gives tokens a lifetime when TOKEN_TTL is set', async () => {
    const untimed = t
    t = await createTestApp({ TOKEN_TTL: '3600' })
    try {
      await t.user('bob')
      const before = Date.now()
      const key = (await tokenLogin({ username: 'bob', password: PASSWORD })).json().auth_token
      const list = await t.request({ method: 'GET', url: '/api/auth/tokens/', token: key })
      const current = list.json().results.find((tk: { current: boolean }) => tk.current)
      const expires = Date.parse(current.expires)
      expect(expires).toBeGreaterThanOrEqual(before + 3_600_000)
      expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000)
    } finally {
      await t.close()
      t = untimed
    }
  })

  it('honours an expired token as invalid', async () => {
    const user = await t.user('brief')
    await t.db
      .updateTable('auth_tokens')
      .set({ expires: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', user.id)
      .execute()
    const res = await t.request({ method: 'GET', url: '/bucketlists/', token: user.token })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'Invalid token.' })
  })
})

describe('what a database dump reveals', () => {
  it('holds no token key and no password, only their hashes', async () => {
    const password = 'Dump-Me-If-You-Can-42'
    await register({ username: 'dumped', email: 'dumped@example.com', password })
    const key = (await tokenLogin({ username: 'dumped', password })).json().auth_token as string
    const dump = JSON.stringify([
      await t.db.selectFrom('users').selectAll().execute(),
      await t.db.selectFrom('auth_tokens').selectAll().execute(),
    ])
    expect(dump).not.toContain(key)
    expect(dump).not.toContain(password)
    expect(dump).toContain(createHash('sha256').update(key).digest('hex'))
    const user = await t.db
      .selectFrom('users')
      .select('password')
      .where('username', '=', 'dumped')
      .executeTakeFirstOrThrow()
    expect(user.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })
})
