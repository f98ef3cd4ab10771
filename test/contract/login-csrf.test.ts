import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../helpers/cookies.ts'
import { createJwtApp, type JwtTestApp } from '../helpers/jwt-app.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Login CSRF (issue 17, item 6): every endpoint that starts a session (or sets JWT cookies)
// refuses a cross-site request as Django's CSRF check does, and changes nothing; a request with
// no Origin (an API client) still logs in. `Origin: null` never counts as this site.
let t: TestApp
let alice: TestUser
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
})
afterAll(() => t?.close())

const EVIL = 'http://evil.example'
const refusedFrom = (origin: string) => ({
  detail: `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
})

function formPost(url: string, fields: Record<string, string>, headers: Record<string, string>) {
  return t.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  })
}

function expectNoSession(res: LightMyRequestResponse) {
  expect(res.cookies.map((c) => c.name)).not.toContain('sessionid')
}

async function tokenCount() {
  const row = await t.db
    .selectFrom('auth_tokens')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('a cross-site login', () => {
  it('is refused by the rest-auth login, with no session and no token minted', async () => {
    const before = await tokenCount()
    for (const origin of [EVIL, 'null']) {
      const res = await formPost(
        '/api/rest-auth/login/',
        { username: 'alice', password: PASSWORD },
        { origin },
      )
      expect(res.statusCode).toBe(403)
      expect(res.json()).toEqual(refusedFrom(origin))
      expectNoSession(res)
    }
    expect(await tokenCount()).toBe(before)
  })

  it('is refused by the single-page login (/rbac/auth/login)', async () => {
    const res = await formPost(
      '/rbac/auth/login',
      { email: alice.email, password: PASSWORD },
      { origin: EVIL },
    )
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual(refusedFrom(EVIL))
    expectNoSession(res)
  })

  it('is refused by the registration that logs the new user in, and creates no user', async () => {
    const res = await formPost(
      '/api/rest-auth/registration/',
      {
        username: 'planted',
        email: 'planted@example.com',
        password1: 'Corr3ct-Horse-Battery',
        password2: 'Corr3ct-Horse-Battery',
      },
      { origin: EVIL },
    )
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual(refusedFrom(EVIL))
    expectNoSession(res)
    const planted = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'planted')
      .executeTakeFirst()
    expect(planted).toBeUndefined()
  })

  it('is refused by the JWT login in cookie mode, with no cookies set', async () => {
    const s: JwtTestApp = await createJwtApp(t, { authCookie: true })
    try {
      const res = await s.post(
        '/api/token/',
        { username: 'alice', password: PASSWORD },
        { origin: EVIL },
      )
      expect(res.statusCode).toBe(403)
      expect(res.json()).toEqual(refusedFrom(EVIL))
      expect(res.cookies).toEqual([])
    } finally {
      await s.close()
    }
  })

  it('still lets a same-site page or an API client (no Origin) log in', async () => {
    const api = await formPost(
      '/api/rest-auth/login/',
      { username: 'alice', password: PASSWORD },
      {},
    )
    expect(api.statusCode).toBe(200)
    const sameSite = await t.request({
      method: 'POST',
      url: '/rbac/auth/login',
      headers: { origin: 'http://localhost:80' },
      json: { email: alice.email, password: PASSWORD },
    })
    expect(sameSite.statusCode).toBe(200)
    expect(sameSite.cookies.map((c) => c.name)).toContain('sessionid')
  })
})

describe('Origin: null on a session-authenticated request', () => {
  it('is refused even with the right CSRF token, as Django answers', async () => {
    const jar = new CookieJar()
    jar.take(
      await t.request({
        method: 'POST',
        url: '/rbac/auth/login',
        json: { email: alice.email, password: PASSWORD },
      }),
    )
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { cookie: jar.header(), 'x-csrftoken': jar.get('csrftoken')!, origin: 'null' },
      json: { name: 'from a sandboxed frame' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({
      detail: 'CSRF Failed: Origin checking failed - null does not match any trusted origins.',
    })
    const ok = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { cookie: jar.header(), 'x-csrftoken': jar.get('csrftoken')! },
      json: { name: 'same site' },
    })
    expect(ok.statusCode).toBe(201)
  })
})
