import type { FastifyInstance } from 'fastify'
import {
  BasicScheme,
  createApp,
  type Database,
  migrate,
  SessionScheme,
  TokenScheme,
} from 'portcullis'
import {
  type AccountsOptions,
  accounts,
  accountsMigrations,
  accountsUsers,
  createUser,
  mintToken,
} from 'portcullis/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, testDatabase } from '../helpers/test-app.ts'

// knox's token extras on the accounts plugin: logoutall, and a limit of tokens per user.
const SECRET_KEY = 'knox-tokens-test-secret-at-least-32-characters-long'
const LIMIT_BODY = { error: 'Maximum amount of tokens allowed per user exceeded.' }

let db: Database
let drop: () => Promise<void>
const servers: FastifyInstance[] = []

beforeAll(async () => {
  ;({ db, drop } = await testDatabase())
  await migrate(db, [accountsMigrations])
})
afterAll(async () => {
  for (const app of servers) await app.close()
  await db?.destroy()
  await drop?.()
})

async function serve(options: AccountsOptions) {
  const app = await createApp({
    database: db,
    secretKey: SECRET_KEY,
    users: accountsUsers(),
    defaults: { authentication: [BasicScheme, TokenScheme, SessionScheme] },
  })
  servers.push(app)
  await app.register(accounts, { prefix: '/api', ...options })
  await app.ready()
  return app
}

const post = (app: FastifyInstance, url: string, json: object = {}, headers = {}) =>
  app.inject({ method: 'POST', url, payload: json, headers })
const asToken = (key: string) => ({ authorization: `Token ${key}` })
const basic = (username: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${PASSWORD}`).toString('base64')}`,
})

async function user(username: string) {
  return createUser(db, { username, email: `${username}@example.com`, password: PASSWORD })
}

async function tokenLogin(app: FastifyInstance, username: string, password = PASSWORD) {
  return post(app, '/api/auth/token/login/', { username, password })
}

async function keyOf(app: FastifyInstance, username: string): Promise<string> {
  const res = await tokenLogin(app, username)
  expect(res.statusCode).toBe(200)
  return res.json().auth_token
}

const me = (app: FastifyInstance, headers: Record<string, string>) =>
  app.inject({ url: '/api/auth/users/me/', headers })

describe('POST auth/token/logoutall/', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await serve({ routes: ['users', 'token'] })
  })

  it("answers 204 and revokes every token of the requester, and no one else's", async () => {
    await user('carol')
    await user('dave')
    const [phone, laptop] = [await keyOf(app, 'carol'), await keyOf(app, 'carol')]
    const other = await keyOf(app, 'dave')
    const res = await post(app, '/api/auth/token/logoutall/', {}, asToken(phone))
    expect([res.statusCode, res.body]).toEqual([204, ''])
    for (const key of [phone, laptop]) {
      expect((await me(app, asToken(key))).statusCode).toBe(401)
    }
    expect((await me(app, asToken(other))).statusCode).toBe(200)
    // A password still logs carol in: logoutall ends tokens, nothing else.
    expect((await me(app, basic('carol'))).statusCode).toBe(200)
  })

  it('authenticates by token alone, as knox does: a password or no credentials is a 401', async () => {
    await user('erin')
    const key = await keyOf(app, 'erin')
    for (const headers of [basic('erin'), {}]) {
      const res = await post(app, '/api/auth/token/logoutall/', {}, headers)
      expect(res.statusCode).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Token')
    }
    expect((await me(app, asToken(key))).statusCode).toBe(200)
    const bad = await post(app, '/api/auth/token/logoutall/', {}, asToken('0'.repeat(40)))
    expect([bad.statusCode, bad.json()]).toEqual([401, { detail: 'Invalid token.' }])
  })
})

describe('tokenLimitPerUser', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await serve({
      routes: ['users', 'token', 'obtain-token', 'rest-auth'],
      tokenLimitPerUser: 2,
    })
  })

  it("refuses a login beyond the limit with knox's 403 and body, until a token is revoked", async () => {
    await user('frank')
    const first = await keyOf(app, 'frank')
    await keyOf(app, 'frank')
    const refused = await tokenLogin(app, 'frank')
    expect([refused.statusCode, refused.json()]).toEqual([403, LIMIT_BODY])
    // Every login that mints a token counts and is refused: DRF's obtain_auth_token too.
    const obtained = await post(app, '/api/', { username: 'frank', password: PASSWORD })
    expect([obtained.statusCode, obtained.json()]).toEqual([403, LIMIT_BODY])
    // Wrong credentials are answered as before: the limit is looked at for a real login only.
    const wrong = await tokenLogin(app, 'frank', 'not-the-password')
    expect(wrong.statusCode).toBe(400)
    expect((await post(app, '/api/auth/token/logout/', {}, asToken(first))).statusCode).toBe(204)
    expect((await tokenLogin(app, 'frank')).statusCode).toBe(200)
  })

  it('counts live tokens only: an expired one frees its place, one without expiry keeps it', async () => {
    const grace = await user('grace')
    await mintToken(db, grace.id) // no expiry: counted
    await db
      .insertInto('auth_tokens')
      .values({
        id: 'e'.repeat(32),
        key_hash: 'f'.repeat(64),
        user_id: grace.id,
        name: 'old phone',
        created: '2020-01-01T00:00:00.000Z',
        expires: '2020-01-02T00:00:00.000Z',
      })
      .execute()
    expect((await tokenLogin(app, 'grace')).statusCode).toBe(200)
    expect((await tokenLogin(app, 'grace')).statusCode).toBe(403)
  })

  it('limits each user apart, and records no login it refuses', async () => {
    const heidi = await user('heidi')
    await keyOf(app, 'heidi')
    await keyOf(app, 'heidi')
    const before = await db
      .selectFrom('users')
      .select('last_login')
      .where('id', '=', heidi.id)
      .executeTakeFirstOrThrow()
    expect((await tokenLogin(app, 'heidi')).statusCode).toBe(403)
    const after = await db
      .selectFrom('users')
      .select('last_login')
      .where('id', '=', heidi.id)
      .executeTakeFirstOrThrow()
    expect(after.last_login).toEqual(before.last_login)
    await user('ivan')
    expect((await tokenLogin(app, 'ivan')).statusCode).toBe(200)
  })

  it("refuses dj-rest-auth's login before it starts a session", async () => {
    await user('judy')
    await keyOf(app, 'judy')
    await keyOf(app, 'judy')
    const res = await post(app, '/api/rest-auth/login/', { username: 'judy', password: PASSWORD })
    expect([res.statusCode, res.json()]).toEqual([403, LIMIT_BODY])
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('stops the start unless it is a whole number above 0 or null', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      const err = await serve({ tokenLimitPerUser: bad }).then(
        () => null,
        (e: Error & { code?: string }) => e,
      )
      expect(err?.code).toBe('ERR_ACCOUNTS_TOKEN_LIMIT')
    }
    const unlimited = await serve({ routes: ['token'], tokenLimitPerUser: null })
    await user('kim')
    for (let i = 0; i < 3; i++) expect((await tokenLogin(unlimited, 'kim')).statusCode).toBe(200)
  })
})
