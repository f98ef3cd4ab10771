import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeUid } from '../../src/accounts/credentials/one-time-token.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §9 throttles over HTTP, with an injected clock: anon per address, user per account,
// and `login` per address AND per account tried, so credential stuffing is slowed both ways.
let t: TestApp
let alice: TestUser
let now = Date.parse('2026-01-01T00:00:00Z')
const tick = (ms: number) => {
  now += ms
}

beforeAll(async () => {
  t = await createTestApp(
    { THROTTLE_RATES: 'anon=3/min,user=5/min,login=3/min', TRUSTED_PROXIES: '127.0.0.1' },
    { now: () => now },
  )
  alice = await t.user('alice')
  for (const name of ['bob', 'carol', 'dave', 'erin']) await t.user(name)
})
afterAll(() => t?.close())

const from = (ip: string) => ({ 'x-forwarded-for': ip })
const tryLogin = (username: string, ip: string, password = 'wrong-password') =>
  t.request({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: { username, password },
    headers: from(ip),
  })

describe('anon and user rates', () => {
  it("throttles an anonymous address after its rate, with DRF's body and Retry-After", async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await t.request({ method: 'GET', url: '/auth/login/', headers: from('10.0.0.1') }))
          .statusCode,
      ).toBe(200)
      tick(1000)
    }
    const res = await t.request({ method: 'GET', url: '/auth/login/', headers: from('10.0.0.1') })
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('57')
    expect(res.json()).toEqual({
      detail: 'Request was throttled. Expected available in 57 seconds.',
    })
    // Another address is not slowed by this one, and /health is never throttled.
    expect(
      (await t.request({ method: 'GET', url: '/auth/login/', headers: from('10.0.0.2') }))
        .statusCode,
    ).toBe(200)
    expect(
      (await t.request({ method: 'GET', url: '/health', headers: from('10.0.0.1') })).statusCode,
    ).toBe(200)
    tick(57_001)
    expect(
      (await t.request({ method: 'GET', url: '/auth/login/', headers: from('10.0.0.1') }))
        .statusCode,
    ).toBe(200)
  })

  it('throttles a user after the user rate, wherever the requests come from', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.request({
        method: 'GET',
        url: '/bucketlists/',
        token: alice.token,
        headers: from(`10.1.0.${i}`),
      })
      expect(res.statusCode).toBe(200)
    }
    const res = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      token: alice.token,
      headers: from('10.1.0.9'),
    })
    expect(res.statusCode).toBe(429)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    tick(61_000)
  })
})

describe('credential stuffing', () => {
  it('is slowed when one address rotates usernames', async () => {
    const statuses = []
    for (const name of ['bob', 'carol', 'dave', 'erin'])
      statuses.push((await tryLogin(name, '10.2.0.1')).statusCode)
    expect(statuses).toEqual([400, 400, 400, 429])
    tick(61_000)
  })

  it('is slowed when one username comes from many addresses behind a trusted proxy', async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await tryLogin('carol', `10.3.0.${i}`)).statusCode)
    expect(statuses).toEqual([400, 400, 400, 429])
    // The email spelling of the same account shares its count.
    const byEmail = await tryLogin('CAROL@example.com', '10.3.0.99')
    expect(byEmail.statusCode).toBe(429)
    tick(61_000)
  })

  it('counts every endpoint that takes a password in the same login scope', async () => {
    const ip = '10.4.0.1'
    const answers = [
      await t.request({
        method: 'POST',
        url: '/get-token/',
        json: { username: 'dave', password: 'x' },
        headers: from(ip),
      }),
      await t.request({
        method: 'POST',
        url: '/api/token/',
        json: { username: 'dave', password: 'x' },
        headers: from(ip),
      }),
      await t.request({
        method: 'POST',
        url: '/rbac/auth/login',
        json: { email: 'dave@example.com', password: 'x' },
        headers: from(ip),
      }),
      await t.request({
        method: 'POST',
        url: '/api/rest-auth/login/',
        json: { username: 'dave', password: 'x' },
        headers: from(ip),
      }),
    ]
    expect(answers.map((r) => r.statusCode)).toEqual([400, 401, 401, 429])
    tick(61_000)
  })

  it('does not believe X-Forwarded-For from an untrusted peer', async () => {
    const untrusted = await createTestApp({ THROTTLE_RATES: 'login=2/min' }, { now: () => now })
    try {
      const statuses = []
      for (let i = 0; i < 3; i++) {
        const res = await untrusted.request({
          method: 'POST',
          url: '/api/auth/token/login/',
          json: { username: `nobody${i}`, password: PASSWORD },
          headers: from(`10.5.0.${i}`),
        })
        statuses.push(res.statusCode)
      }
      expect(statuses).toEqual([400, 400, 429])
    } finally {
      await untrusted.close()
    }
  })
})

// Every endpoint that takes a password is in the `login` scope: a stolen session or token cannot
// guess a current password faster than a login could, nor a reset link's token.
describe('endpoints that take a password', () => {
  const THROTTLED = { detail: 'Request was throttled. Expected available in 60 seconds.' }
  const signedIn = [
    {
      name: 'djoser set_password/',
      method: 'POST' as const,
      url: () => '/api/auth/users/set_password/',
      json: { new_password: 'N3w-Horse-Battery', current_password: 'wrong' },
    },
    {
      name: 'djoser DELETE me/',
      method: 'DELETE' as const,
      url: () => '/api/auth/users/me/',
      json: { current_password: 'wrong' },
    },
    {
      name: 'djoser DELETE {id}/',
      method: 'DELETE' as const,
      url: (user: TestUser) => `/api/auth/users/${user.id}/`,
      json: { current_password: 'wrong' },
    },
    {
      name: 'rest-auth password/change/',
      method: 'POST' as const,
      url: () => '/api/rest-auth/password/change/',
      json: { new_password1: 'N3w-Horse-Battery', new_password2: 'something-else' },
    },
  ]

  it.each(signedIn.map((endpoint, i) => ({ ...endpoint, i })))(
    "$name counts against the requester's account, from any address, as a login does",
    async ({ method, url, json, i }) => {
      const user = await t.user(`holder${i}`)
      const send = (ip: string) =>
        t.request({ method, url: url(user), json, token: user.token, headers: from(ip) })
      for (let k = 0; k < 3; k++) expect((await send(`10.6.${i}.${k}`)).statusCode).toBe(400)
      const again = await send(`10.6.${i}.9`)
      expect(again.statusCode).toBe(429)
      expect(again.headers['retry-after']).toBe('60')
      expect(again.json()).toEqual(THROTTLED)
      // The same account's budget: its login waits too, wherever it comes from.
      const login = await tryLogin(user.username, `10.6.${i}.10`)
      expect(login.statusCode).toBe(429)
      expect(login.json()).toEqual(THROTTLED)
      tick(61_000)
    },
  )

  it('counts signed-in password endpoints per address, whichever account sends them', async () => {
    const ip = '10.7.0.1'
    const users = await Promise.all(['pa', 'pb', 'pc', 'pd'].map((name) => t.user(name)))
    const statuses = []
    for (const [k, user] of users.entries()) {
      const { method, url, json } = signedIn[k]
      const res = await t.request({
        method,
        url: url(user),
        json,
        token: user.token,
        headers: from(ip),
      })
      statuses.push(res.statusCode)
    }
    expect(statuses).toEqual([400, 400, 400, 429])
    tick(61_000)
  })

  it('counts reset confirmations against the account the link names, from any address', async () => {
    const user = await t.user('forgetful')
    const uid = encodeUid(user.id)
    for (let k = 0; k < 3; k++) {
      const res = await t.request({
        method: 'POST',
        url: '/api/auth/users/reset_password_confirm/',
        json: { uid, token: `guess-${k}`, new_password: 'N3w-Horse-Battery' },
        headers: from(`10.8.0.${k}`),
      })
      expect(res.statusCode).toBe(400)
    }
    const restAuth = await t.request({
      method: 'POST',
      url: '/api/rest-auth/password/reset/confirm/',
      json: {
        uid,
        token: 'guess-4',
        new_password1: 'N3w-Horse-Battery',
        new_password2: 'N3w-Horse-Battery',
      },
      headers: from('10.8.0.9'),
    })
    expect(restAuth.statusCode).toBe(429)
    expect(restAuth.headers['retry-after']).toBe('60')
    expect(restAuth.json()).toEqual(THROTTLED)
    expect((await tryLogin('forgetful', '10.8.0.10')).statusCode).toBe(429)
    tick(61_000)
  })
})

// Basic sends a password with every request: each counts in the `login` scope as a login form's
// try does, per address and per account (either spelling), and a lock holds across both.
describe('HTTP Basic', () => {
  const THROTTLED = { detail: 'Request was throttled. Expected available in 60 seconds.' }
  let b: TestApp
  const basicFrom = (login: string, password: string, ip: string, method = 'GET') =>
    b.request({
      method: method as 'GET',
      url: '/bucketlists/',
      basic: [login, password],
      headers: from(ip),
    })
  const obtain = (username: string, password: string, ip: string) =>
    b.request({
      method: 'POST',
      url: '/api/token/',
      json: { username, password },
      headers: from(ip),
    })

  beforeAll(async () => {
    b = await createTestApp(
      { THROTTLE_RATES: 'login=3/min', TRUSTED_PROXIES: '127.0.0.1' },
      { now: () => now },
    )
    for (const name of ['alice', 'bob', 'carol', 'dave']) await b.user(name)
  })
  afterAll(() => b?.close())

  it('is throttled after the login rate of wrong passwords, the right one included', async () => {
    const statuses: number[] = []
    for (let k = 0; k < 30; k++)
      statuses.push((await basicFrom('alice', `x${k}`, '10.9.0.1')).statusCode)
    expect(statuses).toEqual([401, 401, 401, ...Array(27).fill(429)])
    const right = await basicFrom('alice', PASSWORD, '10.9.0.1')
    expect(right.statusCode).toBe(429)
    expect(right.headers['retry-after']).toBe('60')
    expect(right.headers['www-authenticate']).toBeUndefined()
    expect(right.json()).toEqual(THROTTLED)
    tick(61_000)
    expect((await basicFrom('alice', PASSWORD, '10.9.0.1')).statusCode).toBe(200)
    tick(61_000)
  })

  it('answers a throttled address alike for an account that exists and one that does not', async () => {
    for (const name of ['nobody1', 'nobody2', 'nobody3'])
      expect((await basicFrom(name, 'x', '10.9.1.1')).statusCode).toBe(401)
    const known = await basicFrom('dave', PASSWORD, '10.9.1.1')
    const unknown = await basicFrom('nobody4@example.com', 'x', '10.9.1.1')
    expect([known.statusCode, unknown.statusCode]).toEqual([429, 429])
    expect(unknown.json()).toEqual(known.json())
    // Refused by the pipeline's other path too (an unknown method is answered after the schemes).
    expect((await basicFrom('dave', PASSWORD, '10.9.1.1', 'PATCH')).statusCode).toBe(429)
    tick(61_000)
  })

  it('honours a lock earned on /api/token/, under the username or the email', async () => {
    for (let k = 0; k < 3; k++)
      expect((await obtain('bob', 'x', `10.9.2.${k}`)).statusCode).toBe(401)
    expect((await basicFrom('bob', PASSWORD, '10.9.2.9')).statusCode).toBe(429)
    expect((await basicFrom('BOB@example.com', PASSWORD, '10.9.2.10')).statusCode).toBe(429)
    tick(61_000)
  })

  it('earns a lock that /api/token/ and the other login forms honour', async () => {
    for (let k = 0; k < 3; k++) {
      const res = await basicFrom('carol@example.com', 'x', `10.9.3.${k}`)
      expect(res.statusCode).toBe(401)
    }
    expect((await obtain('carol', PASSWORD, '10.9.3.9')).statusCode).toBe(429)
    const token = await b.request({
      method: 'POST',
      url: '/get-token/',
      json: { username: 'Carol', password: PASSWORD },
      headers: from('10.9.3.10'),
    })
    expect(token.statusCode).toBe(429)
    tick(61_000)
  })
})
