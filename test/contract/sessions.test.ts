import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dbSessionStore } from '../../src/accounts/index.ts'
import {
  AllowAny,
  BasicScheme,
  IsAuthenticated,
  installPipeline,
  SessionScheme,
} from '../../src/framework/index.ts'
import { CookieJar, setCookies } from '../helpers/cookies.ts'
import { multipart } from '../helpers/images.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §2 (Session + CSRF) and §8's JSON login, as a browser and a single-page app use them.
let t: TestApp
let alice: TestUser
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  await t.user('bob')
})
afterAll(() => t?.close())

function send(jar: CookieJar, options: Parameters<TestApp['request']>[0]) {
  const headers = { ...(options.headers as Record<string, string>), cookie: jar.header() }
  return t.request({ ...options, headers }).then((res) => {
    jar.take(res)
    return res
  })
}

/** Log in through the HTML form as a browser does: get the page, post it with its token. */
async function browserLogin(
  jar: CookieJar,
  username = 'alice',
  password = PASSWORD,
  next = '/bucketlists/',
) {
  const page = await send(jar, { method: 'GET', url: '/auth/login/' })
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  return send(jar, {
    method: 'POST',
    url: '/auth/login/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      username,
      password,
      csrfmiddlewaretoken: token,
      next,
    }).toString(),
  })
}

describe('the login page', () => {
  it('serves a CSRF-protected form and sets the csrftoken cookie', async () => {
    const jar = new CookieJar()
    const res = await send(jar, { method: 'GET', url: '/auth/login/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('name="csrfmiddlewaretoken"')
    const csrf = setCookies(res).csrftoken
    expect(csrf.value).toMatch(/^[a-zA-Z0-9]{32}$/)
    expect(csrf.attributes.samesite).toBe('Lax')
    expect(csrf.attributes.httponly).toBeUndefined()
    expect((await t.request({ method: 'GET', url: '/api-auth/login/' })).statusCode).toBe(200)
  })

  it('logs in, redirects to next, and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const jar = new CookieJar()
    const res = await browserLogin(jar)
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/bucketlists/')
    const session = setCookies(res).sessionid
    expect(session.attributes.httponly).toBe(true)
    expect(session.attributes.samesite).toBe('Lax')
    expect(session.attributes.secure).toBeUndefined()
    expect(session.value.length).toBeGreaterThanOrEqual(43)
    const list = await send(jar, { method: 'GET', url: '/bucketlists/' })
    expect(list.statusCode).toBe(200)
  })

  it('marks cookies Secure with SECURE_COOKIES=1', async () => {
    const plain = t
    t = await createTestApp({ SECURE_COOKIES: '1' })
    try {
      await t.user('alice')
      const res = await browserLogin(new CookieJar())
      expect(setCookies(res).sessionid.attributes.secure).toBe(true)
    } finally {
      await t.close()
      t = plain
    }
  })

  it('shows the form again with a clear message on bad credentials, and sets no session', async () => {
    for (const [username, password] of [
      ['alice', 'wrong'],
      ['nobody', PASSWORD],
    ]) {
      const res = await browserLogin(new CookieJar(), username, password)
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('Please enter a correct username and password.')
      expect(setCookies(res).sessionid).toBeUndefined()
    }
  })

  it('refuses a post without the CSRF token', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/auth/login/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=alice&password=${PASSWORD}`,
    })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('CSRF Failed')
    expect(setCookies(res).sessionid).toBeUndefined()
  })

  it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])(
    'never redirects off this host (next=%s)',
    async (next) => {
      const res = await browserLogin(new CookieJar(), 'alice', PASSWORD, next)
      expect(res.statusCode).toBe(302)
      expect(res.headers.location).toBe('/bucketlists/')
    },
  )

  it('gives a new session id at login: a planted one is worthless (no fixation)', async () => {
    const attacker = new CookieJar()
    await browserLogin(attacker, 'bob')
    const planted = attacker.get('sessionid')!
    const victim = new CookieJar()
    victim.cookies.set('sessionid', planted)
    await browserLogin(victim)
    expect(victim.get('sessionid')).not.toBe(planted)
    // The planted (bob's) session was ended by the login, so the attacker holds nothing.
    expect((await send(attacker, { method: 'GET', url: '/bucketlists/' })).statusCode).toBe(401)
    const me = await send(victim, { method: 'GET', url: '/rbac/users/me' })
    expect(me.json().username).toBe('alice')
  })

  it('logs out: the server forgets the session, replaying the old cookie fails', async () => {
    const jar = new CookieJar()
    await browserLogin(jar)
    const old = jar.get('sessionid')!
    const out = await send(jar, { method: 'GET', url: '/auth/logout/' })
    expect(out.statusCode).toBe(302)
    expect(out.headers.location).toBe('/auth/login/')
    expect(jar.get('sessionid')).toBeUndefined()
    const replay = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      headers: { cookie: `sessionid=${old}` },
    })
    expect(replay.statusCode).toBe(401)
    expect(replay.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('logs out of the browsable API by POST with the CSRF token only, as current Django', async () => {
    const jar = new CookieJar()
    await browserLogin(jar)
    const byGet = await send(jar, { method: 'GET', url: '/api-auth/logout/' })
    expect(byGet.statusCode).toBe(405)
    const noToken = await send(jar, { method: 'POST', url: '/api-auth/logout/' })
    expect(noToken.statusCode).toBe(403)
    expect((await send(jar, { method: 'GET', url: '/bucketlists/' })).statusCode).toBe(200)
    // The page's own "Log out" form, with the token the page carries.
    const page = await send(jar, {
      method: 'GET',
      url: '/bucketlists/',
      headers: { accept: 'text/html' },
    })
    const form =
      /<form method="post" action="([^"]+)" class="logout"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">/.exec(
        page.body,
      )
    expect(form?.[1]).toBe('/api-auth/logout/')
    const out = await send(jar, {
      method: 'POST',
      url: '/api-auth/logout/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrfmiddlewaretoken: form?.[2] ?? '' }).toString(),
    })
    expect(out.statusCode).toBe(302)
    expect(out.headers.location).toBe('/api-auth/login/')
    expect(jar.get('sessionid')).toBeUndefined()
  })
})

describe('CSRF on session-authenticated requests', () => {
  let jar: CookieJar
  beforeAll(async () => {
    jar = new CookieJar()
    await browserLogin(jar)
  })
  const post = (headers: Record<string, string>, payload: unknown, cookie = jar.header()) =>
    t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(payload),
    })

  it('needs no token to read', async () => {
    expect((await send(jar, { method: 'GET', url: '/bucketlists/' })).statusCode).toBe(200)
  })

  it('refuses a write with no token, a wrong token, or no cookie', async () => {
    const missing = await post({}, { name: 'no token' })
    expect(missing.statusCode).toBe(403)
    expect(missing.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
    const wrong = await post({ 'x-csrftoken': 'a'.repeat(32) }, { name: 'wrong token' })
    expect(wrong.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
    const junk = await post({ 'x-csrftoken': 'not a token' }, { name: 'junk token' })
    expect(junk.statusCode).toBe(403)
    const noCookie = await post(
      { 'x-csrftoken': jar.get('csrftoken')! },
      { name: 'no cookie' },
      `sessionid=${jar.get('sessionid')}`,
    )
    expect(noCookie.statusCode).toBe(403)
    expect(noCookie.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' })
  })

  it("accepts the cookie's token in X-CSRFToken, bare or masked, or in the form field", async () => {
    const bare = await post({ 'x-csrftoken': jar.get('csrftoken')! }, { name: 'with bare token' })
    expect(bare.statusCode).toBe(201)
    expect(bare.json().owner).toBe('alice')
    const page = await send(jar, { method: 'GET', url: '/auth/login/' })
    const masked = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)![1]
    expect(masked).toHaveLength(64)
    expect((await post({ 'x-csrftoken': masked }, { name: 'with masked token' })).statusCode).toBe(
      201,
    )
    const form = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'from a form', csrfmiddlewaretoken: masked }).toString(),
    })
    expect(form.statusCode).toBe(201)
    // A form sent as multipart (enctype="multipart/form-data") carries it the same way.
    const parts = await multipart([
      { field: 'name', data: 'from a multipart form' },
      { field: 'csrfmiddlewaretoken', data: masked },
    ])
    const multipartForm = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { cookie: jar.header(), ...parts.headers },
      payload: parts.payload,
    })
    expect(multipartForm.statusCode, multipartForm.body).toBe(201)
  })

  it('refuses a cross-site Origin even with the right token', async () => {
    const res = await post(
      { 'x-csrftoken': jar.get('csrftoken')!, origin: 'https://evil.example' },
      { name: 'cross site' },
    )
    expect(res.statusCode).toBe(403)
    expect(res.json().detail).toMatch(/^CSRF Failed: Origin checking failed/)
  })

  it('exempts Token and Basic requests, which a browser does not send by itself', async () => {
    const byToken = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      headers: { cookie: jar.header() },
      json: { name: 'token, no csrf' },
    })
    expect(byToken.statusCode).toBe(201)
    const byBasic = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      basic: ['alice', PASSWORD],
      json: { name: 'basic, no csrf' },
    })
    expect(byBasic.statusCode).toBe(201)
  })

  it('treats a session of a deactivated user as anonymous', async () => {
    const carol = await t.user('carol')
    const cj = new CookieJar()
    await browserLogin(cj, 'carol')
    await t.db.updateTable('users').set({ is_active: false }).where('id', '=', carol.id).execute()
    expect((await send(cj, { method: 'GET', url: '/bucketlists/' })).statusCode).toBe(401)
  })
})

describe('JSON session login for single-page apps', () => {
  const login = (jar: CookieJar, json: unknown) =>
    send(jar, { method: 'POST', url: '/rbac/auth/login', json })

  it('answers the user and a session on good credentials (email or username)', async () => {
    const jar = new CookieJar()
    const res = await login(jar, { email: 'ALICE@example.com', password: PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: alice.id,
      username: 'alice',
      email: 'alice@example.com',
      name: '',
    })
    expect(setCookies(res).sessionid.attributes.httponly).toBe(true)
    expect(setCookies(res).csrftoken).toBeDefined()
    expect((await send(jar, { method: 'GET', url: '/rbac/users/me' })).json().username).toBe(
      'alice',
    )
    expect((await login(new CookieJar(), { email: 'alice', password: PASSWORD })).statusCode).toBe(
      200,
    )
  })

  it('answers 401 and sets no session on bad credentials, 400 on a missing field', async () => {
    const res = await login(new CookieJar(), { email: 'alice@example.com', password: 'nope' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual({ detail: 'Incorrect authentication credentials.' })
    expect(setCookies(res).sessionid).toBeUndefined()
    const missing = await login(new CookieJar(), { email: 'alice@example.com' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({ password: ['This field is required.'] })
  })

  it('logs out with the CSRF token only', async () => {
    const jar = new CookieJar()
    await login(jar, { email: 'alice@example.com', password: PASSWORD })
    const refused = await send(jar, { method: 'POST', url: '/rbac/auth/logout' })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
    const out = await send(jar, {
      method: 'POST',
      url: '/rbac/auth/logout',
      headers: { 'x-csrftoken': jar.get('csrftoken')! },
    })
    expect(out.statusCode).toBe(204)
    const me = await send(jar, { method: 'GET', url: '/rbac/users/me' })
    expect(me.statusCode).toBe(401)
  })
})

describe('sessions a user can see and end', () => {
  it("lists the user's own sessions and ends one, not another user's", async () => {
    const laptop = new CookieJar()
    const phone = new CookieJar()
    await browserLogin(laptop, 'bob')
    await send(phone, {
      method: 'POST',
      url: '/rbac/auth/login',
      json: { email: 'bob', password: PASSWORD },
      headers: { 'user-agent': 'BobPhone/1.0' },
    })
    const list = await send(laptop, { method: 'GET', url: '/api/auth/sessions/' })
    expect(list.statusCode).toBe(200)
    const sessions = list.json().results as {
      id: string
      current: boolean
      user_agent: string
      ip: string
    }[]
    expect(sessions.length).toBeGreaterThanOrEqual(2)
    for (const s of sessions) expect(s.id).toMatch(/^[0-9a-f]{32}$/)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    const phoneSession = sessions.find((s) => s.user_agent === 'BobPhone/1.0')!
    expect(phoneSession.current).toBe(false)
    expect(JSON.stringify(list.json())).not.toContain(laptop.get('sessionid')!)

    const aliceJar = new CookieJar()
    await browserLogin(aliceJar)
    const notHers = await send(aliceJar, {
      method: 'DELETE',
      url: `/api/auth/sessions/${phoneSession.id}/`,
      headers: { 'x-csrftoken': aliceJar.get('csrftoken')! },
    })
    expect(notHers.statusCode).toBe(404)
    expect(notHers.json()).toEqual({ detail: 'Not found.' })
    // U+0000 is no id PostgreSQL could hold: a miss too, not a refused query (500).
    const nul = await send(laptop, {
      method: 'DELETE',
      url: '/api/auth/sessions/a%00b/',
      headers: { 'x-csrftoken': laptop.get('csrftoken')! },
    })
    expect(nul.statusCode).toBe(404)

    const ended = await send(laptop, {
      method: 'DELETE',
      url: `/api/auth/sessions/${phoneSession.id}/`,
      headers: { 'x-csrftoken': laptop.get('csrftoken')! },
    })
    expect(ended.statusCode).toBe(204)
    expect((await send(phone, { method: 'GET', url: '/rbac/users/me' })).statusCode).toBe(401)
    expect((await send(laptop, { method: 'GET', url: '/rbac/users/me' })).statusCode).toBe(200)
  })
})

describe('401 or 403 follows the first scheme', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify()
    app.decorate('db', t.db)
    app.decorate('users', t.app.users)
    app.decorate('sessions', t.app.sessions)
    await installPipeline(app)
    app.get(
      '/session-first',
      { config: { authentication: [SessionScheme, BasicScheme], permissions: [IsAuthenticated] } },
      async () => ({}),
    )
    app.get(
      '/basic-first',
      { config: { authentication: [BasicScheme, SessionScheme], permissions: [IsAuthenticated] } },
      async () => ({}),
    )
    app.get(
      '/open',
      { config: { authentication: [SessionScheme], permissions: [AllowAny] } },
      async (r) => ({ user: r.user?.username ?? null }),
    )
    await app.ready()
  })
  afterAll(() => app?.close())

  it('Session first: 403 without a challenge; Basic first: 401 with one', async () => {
    const session = await app.inject({ url: '/session-first' })
    expect(session.statusCode).toBe(403)
    expect(session.headers['www-authenticate']).toBeUndefined()
    expect(session.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    const basic = await app.inject({ url: '/basic-first' })
    expect(basic.statusCode).toBe(401)
    expect(basic.headers['www-authenticate']).toBe('Basic realm="api"')
  })

  it('an unknown session cookie is simply anonymous', async () => {
    const res = await app.inject({ url: '/open', headers: { cookie: 'sessionid=forged' } })
    expect(res.json()).toEqual({ user: null })
  })
})

describe('session lifetimes', () => {
  const client = { userId: '', userAgent: 'test', ip: '127.0.0.1' }

  it('ends a session left idle too long, and keeps one in use', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const store = dbSessionStore(t.db, { maxAgeSeconds: 3600, idleSeconds: 600 }, () => now)
    const { key } = await store.create({ ...client, userId: alice.id })
    now += 500_000
    expect(await store.get(key)).not.toBeNull()
    now += 500_000 // 1000 s after login, but only 500 s after it was last seen
    expect(await store.get(key)).not.toBeNull()
    now += 601_000
    expect(await store.get(key)).toBeNull()
  })

  it('ends a session at its absolute limit however busy', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const store = dbSessionStore(t.db, { maxAgeSeconds: 3600, idleSeconds: 0 }, () => now)
    const { key } = await store.create({ ...client, userId: alice.id })
    now += 3_599_000
    expect(await store.get(key)).not.toBeNull()
    now += 2_000
    expect(await store.get(key)).toBeNull()
  })
})
