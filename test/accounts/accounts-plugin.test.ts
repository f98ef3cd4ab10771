import Fastify, { type FastifyInstance } from 'fastify'
import {
  type AppSettings,
  BasicScheme,
  createApp,
  type Database,
  JwtScheme,
  migrate,
  openDatabase,
  portcullis,
  TokenScheme,
} from 'portcullis'
import {
  ACCOUNTS_ROUTE_GROUPS,
  type AccountsOptions,
  accounts,
  accountsMigrations,
  accountsUsers,
  createUser,
  DEFAULT_ACCOUNTS_ROUTES,
} from 'portcullis/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar, setCookies } from '../helpers/cookies.ts'

// The accounts app as a plugin: a user picks route groups and a prefix, and gets those alone.
const SECRET_KEY = 'accounts-plugin-test-secret-at-least-32-characters'
const PASSWORD = 'Corr3ct-Horse-Battery'

let db: Database
const servers: FastifyInstance[] = []

beforeAll(async () => {
  db = openDatabase(':memory:')
  await migrate(db, [accountsMigrations])
  await createUser(db, { username: 'alice', email: 'alice@example.com', password: PASSWORD })
})
afterAll(async () => {
  for (const app of servers) await app.close()
  await db?.destroy()
})

/** A server of the core plugin (with accounts' users unless told otherwise) and `accounts`. */
async function serve(
  options: AccountsOptions & { prefix?: string },
  core: Partial<AppSettings> = {},
) {
  const app = await createApp({
    database: db,
    secretKey: SECRET_KEY,
    users: accountsUsers(),
    defaults: { authentication: [BasicScheme, TokenScheme, JwtScheme] },
    ...core,
  })
  servers.push(app)
  await app.register(accounts, options)
  await app.ready()
  return app
}

/** The error the start of a server stops with. */
async function startError(build: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await build()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('the server started')
}

const post = (app: FastifyInstance, url: string, json: object = {}, headers = {}) =>
  app.inject({ method: 'POST', url, payload: json, headers })

describe('accounts with a prefix and route groups', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await serve({ prefix: '/auth-x', routes: ['jwt', 'users'] })
  })

  it('serves the groups it was given under the prefix', async () => {
    const created = await post(app, '/auth-x/auth/users/', {
      username: 'bob',
      email: 'bob@example.com',
      password: PASSWORD,
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ username: 'bob', email: 'bob@example.com' })

    const pair = await post(app, '/auth-x/token/', { username: 'bob', password: PASSWORD })
    expect(pair.statusCode).toBe(200)
    const { access, refresh } = pair.json()
    const me = await app.inject({
      url: '/auth-x/auth/users/me/',
      headers: { authorization: `Bearer ${access}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ username: 'bob' })
    expect((await post(app, '/auth-x/token/verify/', { token: access })).statusCode).toBe(200)
    expect((await post(app, '/auth-x/token/refresh/', { refresh })).statusCode).toBe(200)
  })

  it('answers 404 for every other group, and for the paths without the prefix', async () => {
    const elsewhere: [string, string][] = [
      ['POST', '/auth-x/auth/token/login/'], // token
      ['GET', '/auth-x/auth/tokens/'], // tokens
      ['GET', '/auth-x/auth/sessions/'], // sessions
      ['POST', '/auth-x/rest-auth/login/'], // rest-auth
      ['GET', '/auth-x/auth/groups/'], // permissions
      ['GET', '/auth-x/auth/object-permissions/'],
      ['PUT', '/auth-x/avatar/'], // avatar
      ['POST', '/auth-x/'], // obtain-token
      ['GET', '/auth-x/login/'], // login-pages
      ['POST', '/token/'],
      ['POST', '/auth/users/'],
      ['GET', '/auth/users/me/'],
      ['POST', '/api/token/'],
      ['POST', '/get-token/'],
    ]
    for (const [method, url] of elsewhere) {
      const res = await app.inject({ method: method as 'GET', url, payload: {} })
      expect([method, url, res.statusCode]).toEqual([method, url, 404])
    }
  })
})

describe('the route groups', () => {
  it('are listed, and the default serves an API without pages, rest-auth or avatars', async () => {
    expect([...ACCOUNTS_ROUTE_GROUPS].sort()).toEqual(
      [
        'avatar',
        'jwt',
        'login-pages',
        'obtain-token',
        'permissions',
        'rest-auth',
        'sessions',
        'token',
        'tokens',
        'users',
      ].sort(),
    )
    expect(DEFAULT_ACCOUNTS_ROUTES).toEqual([
      'users',
      'token',
      'jwt',
      'tokens',
      'sessions',
      'permissions',
    ])
    const app = await serve({ prefix: '/d' })
    const login = await post(app, '/d/auth/token/login/', { username: 'alice', password: PASSWORD })
    expect(login.statusCode).toBe(200)
    const token = { authorization: `Token ${login.json().auth_token}` }
    for (const url of ['/d/auth/users/me/', '/d/auth/tokens/', '/d/auth/sessions/']) {
      expect((await app.inject({ url, headers: token })).statusCode).toBe(200)
    }
    // Staff only, so a 403 for alice: served, not missing.
    expect((await app.inject({ url: '/d/auth/groups/', headers: token })).statusCode).toBe(403)
    expect(
      (await post(app, '/d/token/', { username: 'alice', password: PASSWORD })).statusCode,
    ).toBe(200)
    for (const url of ['/d/login/', '/d/rest-auth/user/', '/d/']) {
      expect((await app.inject({ url, headers: token })).statusCode).toBe(404)
    }
    expect((await app.inject({ method: 'PUT', url: '/d/avatar/' })).statusCode).toBe(404)
  })

  it("serve DRF's obtain_auth_token at the prefix itself, with its slash only", async () => {
    const app = await serve({ prefix: '/get-a-token', routes: ['obtain-token'] })
    const res = await post(app, '/get-a-token/', { username: 'alice', password: PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(res.json().token).toMatch(/^[0-9a-f]{40}$/)
    // Not served without it: Django's APPEND_SLASH sends the client to the real URL.
    const bare = await post(app, '/get-a-token', { username: 'alice' })
    expect([bare.statusCode, bare.headers.location]).toEqual([301, '/get-a-token/'])
  })

  it('send the JWT refresh cookie to the token endpoints under the prefix only', async () => {
    const app = await serve({ prefix: '/auth-x', routes: ['jwt'] }, { jwt: { authCookie: true } })
    const res = await post(app, '/auth-x/token/', { username: 'alice', password: PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(setCookies(res)['jwt-refresh'].attributes.path).toBe('/auth-x/token/')
  })
})

describe('the login pages', () => {
  it("post to their own path and land on `/` by default (Django's LOGIN_REDIRECT_URL)", async () => {
    const app = await serve({ prefix: '/browser', routes: ['login-pages'] })
    const jar = new CookieJar()
    const page = await app.inject({ url: '/browser/login/' })
    jar.take(page)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('action="/browser/login/"')
    expect(page.body).toContain('name="next" value="/"')
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const res = await app.inject({
      method: 'POST',
      url: '/browser/login/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      payload: new URLSearchParams({
        username: 'alice',
        password: PASSWORD,
        csrfmiddlewaretoken: token,
      }).toString(),
    })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/')
    jar.take(res)
    // A logout is a POST with the CSRF token, as current Django's; a GET is 405. The login
    // rotated the token: a page shown after it carries the new one.
    const after = await app.inject({ url: '/browser/login/', headers: { cookie: jar.header() } })
    jar.take(after)
    const fresh = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(after.body)?.[1] ?? ''
    const byGet = await app.inject({ url: '/browser/logout/', headers: { cookie: jar.header() } })
    expect(byGet.statusCode).toBe(405)
    const out = await app.inject({
      method: 'POST',
      url: '/browser/logout/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      payload: new URLSearchParams({ csrfmiddlewaretoken: fresh }).toString(),
    })
    expect(out.statusCode).toBe(302)
    expect(out.headers.location).toBe('/browser/login/')
  })

  it('keep each registration its own settings', async () => {
    const app = await createApp({ database: db, secretKey: SECRET_KEY, users: accountsUsers() })
    servers.push(app)
    await app.register(accounts, { prefix: '/a', routes: ['login-pages'], loginRedirectUrl: '/a/' })
    await app.register(accounts, { prefix: '/b', routes: ['login-pages'] })
    await app.ready()
    expect((await app.inject({ url: '/a/login/' })).body).toContain('name="next" value="/a/"')
    expect((await app.inject({ url: '/b/login/' })).body).toContain('name="next" value="/"')
  })

  it('name the site as the setting says, on the login page and the browsable API', async () => {
    const app = await createApp({
      database: db,
      secretKey: SECRET_KEY,
      users: accountsUsers(),
      browsable: { siteName: 'Acme API', loginUrl: '/c/login/' },
    })
    servers.push(app)
    await app.register(accounts, {
      prefix: '/c',
      routes: ['login-pages', 'tokens'],
      djoser: { siteName: 'Acme' },
    })
    await app.ready()
    const login = (await app.inject({ url: '/c/login/' })).body
    expect(login).toContain('<title>Log in | Acme</title>')
    expect(login).toContain('<h1>Acme</h1>')
    expect(login).not.toContain('Portcullis')
    const page = await app.inject({ url: '/c/auth/tokens/', headers: { accept: 'text/html' } })
    expect(page.body).toContain('>Acme API</a>')
    expect(page.body).toContain('href="/c/login/?next=')
  })

  it('land where the setting says', async () => {
    const app = await serve({ prefix: '/b', routes: ['login-pages'], loginRedirectUrl: '/home/' })
    expect((await app.inject({ url: '/b/login/' })).body).toContain('name="next" value="/home/"')
  })
})

describe('a server that cannot serve a group stops at start', () => {
  it('when accounts is registered without the portcullis plugin', async () => {
    const err = await startError(async () => {
      const app = Fastify()
      servers.push(app)
      await app.register(accounts, { prefix: '/api', routes: ['jwt'] })
    })
    expect(err.code).toBe('ERR_ACCOUNTS_NEEDS')
    expect(err.message).toContain('register the portcullis plugin before accounts')
    expect(err.message).toContain('users: accountsUsers()')
  })

  it('when accounts is registered before the portcullis plugin', async () => {
    const err = await startError(async () => {
      const app = Fastify()
      servers.push(app)
      app.register(accounts, { prefix: '/api', routes: ['users'] })
      app.register(portcullis, { database: db, secretKey: SECRET_KEY, users: accountsUsers() })
      await app.ready()
    })
    expect(err.code).toBe('ERR_ACCOUNTS_NEEDS')
    expect(err.message).toContain('"users" needs the server\'s db')
  })

  it('when the portcullis plugin has no users', async () => {
    const err = await startError(() => serve({ routes: ['token'] }, { users: undefined }))
    expect(err.code).toBe('ERR_ACCOUNTS_NEEDS')
    expect(err.message).toContain('accounts route group "token" needs the server\'s users;')
  })

  it('when avatars have no media storage', async () => {
    const err = await startError(() => serve({ routes: ['avatar'] }))
    expect(err.code).toBe('ERR_ACCOUNTS_MEDIA')
    expect(err.message).toContain('give the portcullis plugin a `media` setting')
  })

  it('when `routes` names no group', async () => {
    const typo = await startError(() => serve({ routes: ['user' as 'users'] }))
    expect(typo.code).toBe('ERR_ACCOUNTS_ROUTES')
    expect(typo.message).toContain('lists "user", which is not a route group')
    expect(typo.message).toContain('users, token, jwt')
    const one = await startError(() => serve({ routes: 'users' as unknown as ['users'] }))
    expect(one.code).toBe('ERR_ACCOUNTS_ROUTES')
  })
})
