import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// Settings are one object, read once (STYLE.md 16): what the server is started with holds for
// every request, and the environment changing afterwards changes no answer.
const TRUSTED = 'https://app.example'
const CHANGED_LATER = {
  CSRF_TRUSTED_ORIGINS: '',
  SECURE_COOKIES: '1',
  TOKEN_TTL: '60',
  SEND_ACTIVATION_EMAIL: '1',
  LOGIN_REDIRECT_URL: '/elsewhere/',
}

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ CSRF_TRUSTED_ORIGINS: TRUSTED })
  await t.user('alice')
})
afterAll(() => t?.close())

const saved: Record<string, string | undefined> = {}
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

function changeTheEnvironment() {
  for (const [name, value] of Object.entries(CHANGED_LATER)) {
    saved[name] = process.env[name]
    process.env[name] = value
  }
}

const restAuthLogin = (origin: string) =>
  t.request({
    method: 'POST',
    url: '/api/rest-auth/login/',
    json: { username: 'alice', password: PASSWORD },
    headers: { origin },
  })

describe('settings given at start', () => {
  it('trusts the CSRF origins it was started with, on every request', async () => {
    const res = await restAuthLogin(TRUSTED)
    expect(res.statusCode).toBe(200)
    expect(res.json().key).toMatch(/^\w+/)
    const other = await restAuthLogin('https://other.example')
    expect(other.statusCode).toBe(403)
  })

  it('answers the same after the environment changes', async () => {
    changeTheEnvironment()
    // Still trusted: CSRF_TRUSTED_ORIGINS is not read again.
    const login = await restAuthLogin(TRUSTED)
    expect(login.statusCode).toBe(200)
    // Cookies not Secure over plain HTTP: SECURE_COOKIES is not read again.
    const session = login.cookies.find((c) => c.name === 'sessionid')
    expect(session?.secure).toBeUndefined()
    // Tokens still last until logout: TOKEN_TTL is not read again.
    const tokens = await t.request({
      method: 'GET',
      url: '/api/auth/tokens/',
      token: login.json().key,
    })
    const current = tokens.json().results.find((tk: { current: boolean }) => tk.current)
    expect(current.expires).toBeNull()
    // Registration still logs in (activation off): SEND_ACTIVATION_EMAIL is not read again.
    const registered = await t.request({
      method: 'POST',
      url: '/api/auth/users/',
      json: { username: 'newcomer', email: 'newcomer@example.com', password: PASSWORD },
    })
    expect(registered.statusCode).toBe(201)
    const newcomer = await t.request({
      method: 'POST',
      url: '/api/auth/token/login/',
      json: { username: 'newcomer', password: PASSWORD },
    })
    expect(newcomer.statusCode).toBe(200)
    // The login page still lands on the reference server's default.
    const page = await t.request({ method: 'GET', url: '/auth/login/' })
    expect(page.body).toContain('name="next" value="/bucketlists/"')
  })
})
