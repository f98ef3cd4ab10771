import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtApp, type JwtTestApp } from '../helpers/jwt-app.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// JWT_AUTH_COOKIE=1 (dj-rest-auth's model): tokens in HttpOnly cookies, and since a browser
// sends cookies on its own, every unsafe request they authenticate needs the CSRF token.
let t: TestApp
let s: JwtTestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.user('cookie')
  s = await createJwtApp(t, { authCookie: true, rotateRefreshTokens: true })
})
afterAll(async () => {
  await s?.close()
  await t?.close()
})

type Cookie = LightMyRequestResponse['cookies'][number]

function cookiesOf(res: LightMyRequestResponse): Record<string, Cookie> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c]))
}

/** Log in; the cookies a browser would now hold, by name. */
async function login() {
  const res = await s.post('/api/token/', { username: 'cookie', password: PASSWORD })
  expect(res.statusCode).toBe(200)
  const set = cookiesOf(res)
  return {
    access: set['jwt-auth'].value,
    refresh: set['jwt-refresh'].value,
    csrf: set.csrftoken.value,
    set,
  }
}

const header = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ')

describe('cookie mode', () => {
  it('sets the tokens as HttpOnly, SameSite=Lax cookies, and a fresh CSRF cookie', async () => {
    const { set } = await login()
    expect(set['jwt-auth']).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(set['jwt-refresh']).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/api/token/',
    })
    // The CSRF cookie is for scripts to read (Django's), so not HttpOnly.
    expect(set.csrftoken.httpOnly).toBeUndefined()
    expect(set.csrftoken.value).toMatch(/^[a-zA-Z0-9]{32}$/)
  })

  it('authenticates a safe request by the access cookie alone', async () => {
    const { access } = await login()
    const res = await s.app.inject({
      url: '/probe/',
      headers: { cookie: header({ 'jwt-auth': access }) },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().username).toBe('cookie')
  })

  it('refuses an unsafe request authenticated by the cookie without the CSRF token', async () => {
    const { access, csrf } = await login()
    const noCookie = await s.post('/probe/', {}, { cookie: header({ 'jwt-auth': access }) })
    expect(noCookie.statusCode).toBe(403)
    expect(noCookie.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' })
    const noHeader = await s.post(
      '/probe/',
      {},
      { cookie: header({ 'jwt-auth': access, csrftoken: csrf }) },
    )
    expect(noHeader.statusCode).toBe(403)
    expect(noHeader.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
  })

  it('lets it through with X-CSRFToken matching the csrftoken cookie', async () => {
    const { access, csrf } = await login()
    const cookie = header({ 'jwt-auth': access, csrftoken: csrf })
    const res = await s.post('/probe/', {}, { cookie, 'x-csrftoken': csrf })
    expect(res.statusCode).toBe(200)
    // Any well-formed secret of the client's own works too (an unmasked 32-character one).
    const own = 'A'.repeat(32)
    const mine = header({ 'jwt-auth': access, csrftoken: own })
    expect((await s.post('/probe/', {}, { cookie: mine, 'x-csrftoken': own })).statusCode).toBe(200)
  })

  it('needs no CSRF token when the access token comes in the Authorization header', async () => {
    const { access } = await login()
    const res = await s.app.inject({
      method: 'POST',
      url: '/probe/',
      headers: { authorization: `Bearer ${access}`, cookie: header({ 'jwt-auth': 'stale' }) },
    })
    expect(res.statusCode).toBe(200)
  })

  it('refreshes from the refresh cookie (with the CSRF token) and sets the new cookies', async () => {
    const { refresh, csrf } = await login()
    const cookie = header({ 'jwt-refresh': refresh, csrftoken: csrf })
    const forged = await s.post('/api/token/refresh/', {}, { cookie })
    expect(forged.statusCode).toBe(403)
    const res = await s.post('/api/token/refresh/', {}, { cookie, 'x-csrftoken': csrf })
    expect(res.statusCode).toBe(200)
    const set = cookiesOf(res)
    expect(set['jwt-auth'].value).toBe(res.json().access)
    expect(set['jwt-refresh'].value).toBe(res.json().refresh)
  })

  it('blacklists the refresh cookie (a logout) and clears both cookies', async () => {
    const { refresh, csrf } = await login()
    const cookie = header({ 'jwt-refresh': refresh, csrftoken: csrf })
    const res = await s.post('/api/token/blacklist/', {}, { cookie, 'x-csrftoken': csrf })
    expect(res.statusCode).toBe(200)
    const set = cookiesOf(res)
    expect(set['jwt-auth'].value).toBe('')
    expect(set['jwt-refresh']).toMatchObject({ value: '', path: '/api/token/' })
    const after = await s.post('/api/token/refresh/', { refresh })
    expect(after.statusCode).toBe(401)
  })

  it('ignores the cookies when cookie mode is off', async () => {
    const { access } = await login()
    const plain = await createJwtApp(t)
    const res = await plain.app.inject({
      url: '/probe/',
      headers: { cookie: header({ 'jwt-auth': access }) },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    await plain.close()
  })
})
