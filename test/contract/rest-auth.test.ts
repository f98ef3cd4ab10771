import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateUserDetails } from '../../src/accounts/rest-auth/user-details.ts'
import { CookieJar, setCookies } from '../helpers/cookies.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §6's rest-auth rows, with the DRF anchor's bodies (OBSERVED.md "6. rest-auth").
let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await createTestApp()
  bob = await t.user('bob')
  await t.user('carol')
})
afterAll(() => t?.close())

const API = '/api/rest-auth'
type Options = Parameters<TestApp['request']>[0]

/** A request as a browser sends it: the jar's cookies, and what the answer sets kept. */
async function send(jar: CookieJar, options: Options) {
  const headers = { ...(options.headers as Record<string, string>), cookie: jar.header() }
  const res = await t.request({ ...options, headers })
  jar.take(res)
  return res
}

/** The same, with the CSRF cookie's value in X-CSRFToken as a single-page app sends it. */
const sendWithCsrf = (jar: CookieJar, options: Options) =>
  send(jar, { ...options, headers: { 'x-csrftoken': jar.get('csrftoken') ?? '' } })

/** Log in through rest-auth into a new jar; returns the jar and the token key. */
async function login(username: string, password = PASSWORD) {
  const jar = new CookieJar()
  const res = await send(jar, {
    method: 'POST',
    url: `${API}/login/`,
    json: { username, password },
  })
  expect(res.statusCode).toBe(200)
  return { jar, key: res.json().key as string }
}

const me = (auth: { jar?: CookieJar; token?: string }) =>
  auth.jar
    ? send(auth.jar, { method: 'GET', url: `${API}/user/` })
    : t.request({ method: 'GET', url: `${API}/user/`, token: auth.token })

const NOT_LOGGED_IN = { detail: 'Authentication credentials were not provided.' }
const CSRF_FAILED = { detail: 'CSRF Failed: CSRF token missing or incorrect.' }

describe('POST /api/rest-auth/login/', () => {
  const post = (json: unknown) => t.request({ method: 'POST', url: `${API}/login/`, json })

  it('answers a new token key and a session (HttpOnly, SameSite=Lax) for a username', async () => {
    const jar = new CookieJar()
    const res = await send(jar, {
      method: 'POST',
      url: `${API}/login/`,
      json: { username: 'bob', password: PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json())).toEqual(['key'])
    const { key } = res.json()
    expect(key).toMatch(/^[0-9a-f]{40}$/)
    const cookies = setCookies(res)
    expect(cookies.sessionid.attributes).toMatchObject({
      httponly: true,
      samesite: 'Lax',
      path: '/',
    })
    expect(cookies.csrftoken.attributes).toMatchObject({ samesite: 'Lax', path: '/' })
    expect(cookies.csrftoken.attributes.httponly).toBeUndefined()
    expect((await me({ token: key })).json().username).toBe('bob')
    expect((await me({ jar })).json().username).toBe('bob')
  })

  it('accepts the email, in `email` or in `username` (any case); every login mints a new key', async () => {
    const byEmail = await post({ email: 'bob@example.com', password: PASSWORD })
    expect(byEmail.statusCode).toBe(200)
    expect(setCookies(byEmail).sessionid).toBeDefined()
    const inUsername = await post({ username: 'BOB@example.com', password: PASSWORD })
    expect(inUsername.statusCode).toBe(200)
    expect(inUsername.json().key).not.toBe(byEmail.json().key)
    expect(byEmail.json().key).not.toBe(bob.token)
  })

  it.each([
    [{ username: 'bob', password: 'nope' }, 'a wrong password'],
    [{ username: 'nobody', password: PASSWORD }, 'an unknown user'],
    [{ email: 'nobody@example.com', password: PASSWORD }, 'an unknown email'],
  ])('refuses %j (%s) with no session', async (json, _reason) => {
    const res = await post(json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
    expect(setCookies(res).sessionid).toBeUndefined()
  })

  it('refuses an inactive user as it refuses a wrong password', async () => {
    await t.user('sleepy', { is_active: false })
    const res = await post({ username: 'sleepy', password: PASSWORD })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
  })

  it.each([
    [
      { password: PASSWORD },
      { non_field_errors: ['Must include either "username" or "email" and "password".'] },
    ],
    [
      { username: '', email: '', password: PASSWORD },
      { non_field_errors: ['Must include either "username" or "email" and "password".'] },
    ],
    [{ username: 'bob' }, { password: ['This field is required.'] }],
    [{}, { password: ['This field is required.'] }],
    [{ username: 'bob', password: '' }, { password: ['This field may not be blank.'] }],
    [{ email: 'not-an-email', password: PASSWORD }, { email: ['Enter a valid email address.'] }],
  ])('answers %j with 400 %j', async (json, body) => {
    const res = await post(json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(body)
  })
})

describe('POST /api/rest-auth/logout/', () => {
  it('is not served for GET', async () => {
    const { jar } = await login('bob')
    const res = await send(jar, { method: 'GET', url: `${API}/logout/` })
    expect(res.statusCode).toBe(405)
    expect(res.json()).toEqual({ detail: 'Method "GET" not allowed.' })
  })

  it('needs the CSRF token from a session, then ends only that session', async () => {
    const { jar, key } = await login('bob')
    const other = await login('bob')
    const refused = await send(jar, { method: 'POST', url: `${API}/logout/` })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual(CSRF_FAILED)
    const sessionId = jar.get('sessionid')!
    const res = await sendWithCsrf(jar, { method: 'POST', url: `${API}/logout/` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ detail: 'Successfully logged out.' })
    expect(setCookies(res).sessionid.value).toBe('')
    const replay = await me({ jar: new CookieJar().take(res) })
    expect(replay.statusCode).toBe(401)
    expect(replay.json()).toEqual(NOT_LOGGED_IN)
    const replayed = await t.request({
      method: 'GET',
      url: `${API}/user/`,
      headers: { cookie: `sessionid=${sessionId}` },
    })
    expect(replayed.statusCode).toBe(401)
    // Only the session ended: the token of the same login and the other login stay valid.
    expect((await me({ token: key })).statusCode).toBe(200)
    expect((await me({ jar: other.jar })).statusCode).toBe(200)
    expect((await me({ token: other.key })).statusCode).toBe(200)
  })

  it('revokes only the token that sent it', async () => {
    const first = await login('bob')
    const second = await login('bob')
    const res = await t.request({ method: 'POST', url: `${API}/logout/`, token: first.key })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ detail: 'Successfully logged out.' })
    const revoked = await me({ token: first.key })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json()).toEqual({ detail: 'Invalid token.' })
    expect((await me({ token: second.key })).statusCode).toBe(200)
    expect((await me({ jar: first.jar })).statusCode).toBe(200)
    expect((await me({ token: bob.token })).statusCode).toBe(200)
  })

  it('answers 200 without a login, and sets no cookie', async () => {
    const res = await t.request({ method: 'POST', url: `${API}/logout/` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ detail: 'Successfully logged out.' })
    expect(res.headers['set-cookie']).toBeUndefined()
  })
})

describe('GET/PUT/PATCH /api/rest-auth/user/', () => {
  let dave: TestUser
  beforeAll(async () => {
    dave = await t.user('dave')
  })
  const write = (method: 'PUT' | 'PATCH', json: unknown, token = dave.token) =>
    t.request({ method, url: `${API}/user/`, token, json })
  const daveBody = (changes: Record<string, string> = {}) => ({
    pk: dave.id,
    username: 'dave',
    email: 'dave@example.com',
    name: '',
    ...changes,
  })

  it('shows the requester, by session or token, with the anchor’s keys in order', async () => {
    const { jar } = await login('dave')
    const res = await me({ jar })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(daveBody())
    expect(Object.keys(res.json())).toEqual(['pk', 'username', 'email', 'name'])
    expect((await me({ token: dave.token })).json()).toEqual(daveBody())
  })

  it('refuses an anonymous request', async () => {
    const res = await t.request({ method: 'GET', url: `${API}/user/` })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(NOT_LOGGED_IN)
  })

  it('needs the CSRF token for a session write', async () => {
    const { jar } = await login('dave')
    const refused = await send(jar, { method: 'PATCH', url: `${API}/user/`, json: { name: 'x' } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual(CSRF_FAILED)
  })

  it('changes the name (at most 32 characters)', async () => {
    const res = await write('PATCH', { name: 'Dave D.' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(daveBody({ name: 'Dave D.' }))
    const long = await write('PATCH', { name: 'x'.repeat(33) })
    expect(long.statusCode).toBe(400)
    expect(long.json()).toEqual({ name: ['Ensure this field has no more than 32 characters.'] })
  })

  it('keeps usernames and emails unique (emails whatever their case)', async () => {
    const email = await write('PATCH', { email: 'CAROL@example.com' })
    expect(email.statusCode).toBe(400)
    expect(email.json()).toEqual({ email: ['user with this email address already exists.'] })
    const username = await write('PUT', { username: 'carol', email: 'dave@example.com' })
    expect(username.statusCode).toBe(400)
    expect(username.json()).toEqual({ username: ['A user with that username already exists.'] })
    // The user's own values are not duplicates, in any case.
    const own = await write('PATCH', { username: 'dave', email: 'DAVE@example.com' })
    expect(own.statusCode).toBe(200)
    expect(own.json().email).toBe('DAVE@example.com')
  })

  it('replaces on PUT, which needs username and email but not name', async () => {
    const res = await write('PUT', { username: 'dave', email: 'dave@example.com', name: 'Dave' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(daveBody({ name: 'Dave' }))
    const partial = await write('PUT', { name: 'Only a name' })
    expect(partial.statusCode).toBe(400)
    expect(partial.json()).toEqual({
      username: ['This field is required.'],
      email: ['This field is required.'],
    })
    const kept = await write('PUT', { username: 'dave', email: 'dave@example.com' })
    expect(kept.json().name).toBe('Dave')
  })

  it('validates the username and email as registration does', async () => {
    const res = await write('PATCH', { username: 'bad name!', email: 'nope' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      username: [
        'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      ],
      email: ['Enter a valid email address.'],
    })
  })

  it('ignores every field it does not name (no mass assignment)', async () => {
    const res = await write('PATCH', {
      name: 'Still Dave',
      pk: '00000000-0000-4000-8000-000000000000',
      id: '00000000-0000-4000-8000-000000000000',
      is_staff: true,
      is_superuser: true,
      is_active: false,
      password: 'hijacked-password-123',
      date_joined: '2000-01-01T00:00:00Z',
      last_login: '2000-01-01T00:00:00Z',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(daveBody({ name: 'Still Dave' }))
    const row = await t.db
      .selectFrom('users')
      .select(['id', 'is_staff', 'is_superuser', 'is_active', 'date_joined', 'last_login'])
      .where('username', '=', 'dave')
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(dave.id)
    expect([row.is_staff, row.is_superuser, row.is_active].map(Boolean)).toEqual([
      false,
      false,
      true,
    ])
    expect(String(row.date_joined)).not.toMatch(/^2000/)
    expect(
      (
        await t.request({
          method: 'PUT',
          url: `${API}/user/`,
          token: dave.token,
          json: {
            username: 'dave',
            email: 'dave@example.com',
            is_superuser: true,
          },
        })
      ).statusCode,
    ).toBe(200)
    const again = await t.db
      .selectFrom('users')
      .select('is_superuser')
      .where('id', '=', dave.id)
      .executeTakeFirstOrThrow()
    expect(Boolean(again.is_superuser)).toBe(false)
    await login('dave')
  })

  it('turns a unique violation the check did not see into the same field error', async () => {
    // What a request that lost the race meets: the database's constraint, not the lookup.
    await expect(updateUserDetails(t.db, dave.id, { username: 'carol' })).rejects.toMatchObject({
      status: 400,
      errors: { username: ['A user with that username already exists.'] },
    })
    await expect(
      updateUserDetails(t.db, dave.id, { email: 'CAROL@example.com' }),
    ).rejects.toMatchObject({
      status: 400,
      errors: { email: ['user with this email address already exists.'] },
    })
  })

  it('answers concurrent claims of one username with one 200 and 400s, never a 500', async () => {
    const racers = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((u) => t.user(u)))
    const results = await Promise.all(
      racers.map((r) => write('PATCH', { username: 'contested' }, r.token)),
    )
    const statuses = results.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400])
    for (const r of results.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ username: ['A user with that username already exists.'] })
    }
    const emails = await Promise.all(
      racers.map((r, i) => {
        const email = i % 2 ? 'contested@x.example' : 'CONTESTED@x.example'
        return write('PATCH', { email }, r.token)
      }),
    )
    expect(emails.map((r) => r.statusCode).sort()).toEqual([200, 400, 400, 400, 400, 400])
    for (const r of emails.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ email: ['user with this email address already exists.'] })
    }
  })
})

describe('POST /api/rest-auth/password/change/', () => {
  const NEW_PASSWORD = 'New-Corr3ct-Horse-Battery'
  const change = (auth: { jar?: CookieJar; token?: string }, json: unknown, csrf = true) => {
    const options = { method: 'POST' as const, url: `${API}/password/change/`, json }
    if (!auth.jar) return t.request({ ...options, token: auth.token })
    return csrf ? sendWithCsrf(auth.jar, options) : send(auth.jar, options)
  }
  const both = (password: string) => ({ new_password1: password, new_password2: password })
  let kat: TestUser
  beforeAll(async () => {
    kat = await t.user('kat')
  })

  it.each([
    [
      { new_password1: 'a-Corr3ct-Horse-Battery', new_password2: 'b-Corr3ct-Horse-Battery' },
      { new_password2: ['The two password fields didn’t match.'] },
    ],
    [
      both('short'),
      { new_password2: ['This password is too short. It must contain at least 8 characters.'] },
    ],
    [
      both('12345678'),
      { new_password2: ['This password is too common.', 'This password is entirely numeric.'] },
    ],
    [
      both('kat@example.com'),
      { new_password2: ['The password is too similar to the email address.'] },
    ],
    [
      {},
      { new_password1: ['This field is required.'], new_password2: ['This field is required.'] },
    ],
  ])('refuses %j with 400 %j', async (json, body) => {
    const res = await change({ token: kat.token }, json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(body)
  })

  it('refuses an anonymous request', async () => {
    const res = await change({}, both(NEW_PASSWORD))
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(NOT_LOGGED_IN)
  })

  it('ends the other sessions, tokens and refresh tokens, not the one that asked (session)', async () => {
    const frank = await t.user('frank')
    const asking = await login('frank')
    const other = await login('frank')
    const jwt = await t.request({
      method: 'POST',
      url: '/api/token/',
      json: { username: 'frank', password: PASSWORD },
    })
    const refused = await change({ jar: asking.jar }, both(NEW_PASSWORD), false)
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual(CSRF_FAILED)

    const res = await change({ jar: asking.jar }, both(NEW_PASSWORD))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ detail: 'New password has been saved.' })
    expect((await me({ jar: asking.jar })).statusCode).toBe(200)
    for (const token of [asking.key, other.key, frank.token]) {
      expect((await me({ token })).json()).toEqual({ detail: 'Invalid token.' })
    }
    expect((await me({ jar: other.jar })).statusCode).toBe(401)
    const refresh = await t.request({
      method: 'POST',
      url: '/api/token/refresh/',
      json: { refresh: jwt.json().refresh },
    })
    expect(refresh.statusCode).toBe(401)
    // The new password logs in; the old one does not.
    expect((await login('frank', NEW_PASSWORD)).key).toMatch(/^[0-9a-f]{40}$/)
    const old = await t.request({
      method: 'POST',
      url: `${API}/login/`,
      json: { username: 'frank', password: PASSWORD },
    })
    expect(old.statusCode).toBe(400)
  })

  it('keeps the token that asked and ends every session (token)', async () => {
    const grace = await t.user('grace')
    const session = await login('grace')
    const res = await change({ token: grace.token }, both(NEW_PASSWORD))
    expect(res.statusCode).toBe(200)
    expect((await me({ token: grace.token })).statusCode).toBe(200)
    expect((await me({ jar: session.jar })).statusCode).toBe(401)
    expect((await me({ token: session.key })).statusCode).toBe(401)
    // Changing it back, as the anchor does, works the same way.
    const back = await change({ token: grace.token }, both(PASSWORD))
    expect(back.json()).toEqual({ detail: 'New password has been saved.' })
  })

  it('takes long passwords whole (no truncation)', async () => {
    const heidi = await t.user('heidi')
    const long = `${'Long-Passphrase-'.repeat(6)}end`
    expect((await change({ token: heidi.token }, both(long))).statusCode).toBe(200)
    const truncated = await t.request({
      method: 'POST',
      url: `${API}/login/`,
      json: { username: 'heidi', password: long.slice(0, 72) },
    })
    expect(truncated.statusCode).toBe(400)
    expect((await login('heidi', long)).key).toBeDefined()
  })
})

describe('POST /api/rest-auth/registration/', () => {
  const register = (json: unknown) =>
    t.request({ method: 'POST', url: `${API}/registration/`, json })
  const newbie = {
    username: 'newbie',
    email: 'newbie@example.com',
    password1: PASSWORD,
    password2: PASSWORD,
  }

  it('creates an active user and logs it in: a token key and a session', async () => {
    const jar = new CookieJar()
    const res = await send(jar, { method: 'POST', url: `${API}/registration/`, json: newbie })
    expect(res.statusCode).toBe(201)
    expect(Object.keys(res.json())).toEqual(['key'])
    const cookies = setCookies(res)
    expect(cookies.sessionid.attributes).toMatchObject({ httponly: true, samesite: 'Lax' })
    expect(cookies.csrftoken).toBeDefined()
    const byToken = await me({ token: res.json().key })
    expect(byToken.json()).toMatchObject({ username: 'newbie', email: 'newbie@example.com' })
    expect((await me({ jar })).json().username).toBe('newbie')
    const row = await t.db
      .selectFrom('users')
      .select(['is_active', 'is_staff', 'last_login'])
      .where('username', '=', 'newbie')
      .executeTakeFirstOrThrow()
    expect(Boolean(row.is_active)).toBe(true)
    expect(Boolean(row.is_staff)).toBe(false)
    expect(row.last_login).not.toBeNull()
  })

  it.each([
    [
      { ...newbie, email: 'NEWBIE@example.com' },
      {
        username: ['A user with that username already exists.'],
        email: ['A user is already registered with this e-mail address.'],
      },
    ],
    [
      { ...newbie, username: 'newbie2', email: 'n2@example.com', password2: `${PASSWORD}x` },
      { non_field_errors: ["The two password fields didn't match."] },
    ],
    [
      {
        username: 'newbie3',
        email: 'n3@example.com',
        password1: 'password',
        password2: 'password',
      },
      { password1: ['This password is too common.'] },
    ],
    [
      {
        username: 'newbie5',
        email: 'n5@example.com',
        password1: 'newbie5!',
        password2: 'different',
      },
      { password1: ['The password is too similar to the username.'] },
    ],
    [
      { username: 'newbie4' },
      {
        email: ['This field is required.'],
        password1: ['This field is required.'],
        password2: ['This field is required.'],
      },
    ],
    [
      { ...newbie, username: 'bad name!', email: 'nope', password1: 'short', password2: 'short' },
      {
        username: [
          'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
        ],
        email: ['Enter a valid email address.'],
        password1: ['This password is too short. It must contain at least 8 characters.'],
      },
    ],
    [[1, 2], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
  ])('refuses %j with 400 %j', async (json, body) => {
    const res = await register(json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(body)
    expect(setCookies(res).sessionid).toBeUndefined()
  })

  it('ignores flags in the body (no mass assignment)', async () => {
    const res = await register({
      username: 'sneaky',
      email: 'sneaky@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
      is_staff: true,
      is_superuser: true,
      is_active: false,
    })
    expect(res.statusCode).toBe(201)
    const row = await t.db
      .selectFrom('users')
      .select(['is_active', 'is_staff', 'is_superuser'])
      .where('username', '=', 'sneaky')
      .executeTakeFirstOrThrow()
    expect([row.is_active, row.is_staff, row.is_superuser].map(Boolean)).toEqual([
      true,
      false,
      false,
    ])
  })

  it('answers concurrent registrations of one email with one 201 and 400s, never a 500', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        register({
          username: `twin${i}`,
          email: i % 2 ? 'twin@example.com' : 'TWIN@example.com',
          password1: PASSWORD,
          password2: PASSWORD,
        }),
      ),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400])
    for (const r of results.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({
        email: ['A user is already registered with this e-mail address.'],
      })
    }
  })
})
