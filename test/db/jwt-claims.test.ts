import type { FastifyInstance } from 'fastify'
import { type AppSettings, createApp, type Database, JwtScheme, migrate } from 'portcullis'
import {
  type AccountsOptions,
  accounts,
  accountsMigrations,
  accountsUsers,
  createUser,
  type User,
} from 'portcullis/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, testDatabase } from '../helpers/test-app.ts'

// simplejwt's get_token override as the accounts plugin's `jwtClaims`: claims on a new pair,
// copied by refresh and by rotation.
const SECRET_KEY = 'jwt-claims-test-secret-at-least-32-characters-long'

let db: Database
let drop: () => Promise<void>
let alice: User
const servers: FastifyInstance[] = []

beforeAll(async () => {
  ;({ db, drop } = await testDatabase())
  await migrate(db, [accountsMigrations])
  alice = await createUser(db, {
    username: 'alice',
    email: 'alice@example.com',
    password: PASSWORD,
  })
})
afterAll(async () => {
  for (const app of servers) await app.close()
  await db?.destroy()
  await drop?.()
})

async function serve(options: AccountsOptions, jwt: AppSettings['jwt'] = {}) {
  const app = await createApp({
    database: db,
    secretKey: SECRET_KEY,
    users: accountsUsers(),
    defaults: { authentication: [JwtScheme] },
    jwt,
  })
  servers.push(app)
  await app.register(accounts, { prefix: '/api', routes: ['users', 'jwt'], ...options })
  await app.ready()
  return app
}

const post = (app: FastifyInstance, url: string, json: object) =>
  app.inject({ method: 'POST', url, payload: json })

/** A token's payload, read without checking it: what a client sees. */
function payload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
}

async function obtain(app: FastifyInstance) {
  const res = await post(app, '/api/token/', { username: 'alice', password: PASSWORD })
  expect(res.statusCode).toBe(200)
  return res.json() as { access: string; refresh: string }
}

// The hook also tries every reserved claim: each is the token's own, whatever it returns.
const claims = async (user: User) => ({
  email: user.email,
  roles: ['editor'],
  token_type: 'access',
  exp: 1,
  iat: 1,
  jti: 'chosen',
  user_id: 'someone-else',
})

describe('jwtClaims', () => {
  it('adds its claims to the pair from token/, and leaves the reserved ones alone', async () => {
    const app = await serve({ jwtClaims: claims })
    const { access, refresh } = await obtain(app)
    for (const [token, type] of [
      [access, 'access'],
      [refresh, 'refresh'],
    ]) {
      const p = payload(token)
      expect(p).toMatchObject({ token_type: type, user_id: alice.id })
      expect([p.email, p.roles]).toEqual(['alice@example.com', ['editor']])
      expect(p.exp).toBeGreaterThan(Date.now() / 1000)
      expect(p.jti).toMatch(/^[0-9a-f]{32}$/)
    }
    // The access token authenticates as alice herself.
    const me = await app.inject({
      url: '/api/auth/users/me/',
      headers: { authorization: `Bearer ${access}` },
    })
    expect([me.statusCode, me.json().id]).toEqual([200, alice.id])
  })

  it('is kept by refresh: the new access token copies the refresh token claims', async () => {
    const app = await serve({ jwtClaims: claims })
    const { refresh } = await obtain(app)
    const res = await post(app, '/api/token/refresh/', { refresh })
    expect(res.statusCode).toBe(200)
    expect(res.json().refresh).toBeUndefined()
    expect(payload(res.json().access)).toMatchObject({
      token_type: 'access',
      user_id: alice.id,
      email: 'alice@example.com',
      roles: ['editor'],
    })
  })

  it('is kept by rotation: the new refresh token and its access token carry the claims', async () => {
    const app = await serve({ jwtClaims: claims }, { rotateRefreshTokens: true })
    const first = await obtain(app)
    const rotated = await post(app, '/api/token/refresh/', { refresh: first.refresh })
    expect(rotated.statusCode).toBe(200)
    const { access, refresh } = rotated.json()
    expect(payload(refresh).jti).not.toBe(payload(first.refresh).jti)
    for (const token of [access, refresh]) {
      expect(payload(token)).toMatchObject({ email: 'alice@example.com', roles: ['editor'] })
    }
    // And once more, from the rotated token.
    const again = await post(app, '/api/token/refresh/', { refresh })
    expect(again.statusCode).toBe(200)
    expect(payload(again.json().refresh)).toMatchObject({ email: 'alice@example.com' })
  })

  it("leaves simplejwt's claims alone without the setting", async () => {
    const app = await serve({})
    const { access, refresh } = await obtain(app)
    expect(Object.keys(payload(access))).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
    expect(Object.keys(payload(refresh))).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
  })

  it('stops the start when it is not a function', async () => {
    const err = await serve({ jwtClaims: { role: 'x' } as never }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    )
    expect(err?.code).toBe('ERR_ACCOUNTS_JWT_CLAIMS')
  })
})
