import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { accounts, hashKey, mintToken } from '../../src/accounts/index.ts'
import { BasicScheme, installPipeline, TokenScheme } from '../../src/framework/index.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Issue 3: a user lists their own tokens (one per device) and revokes one; last_used is kept.
let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser
/** Alice's tokens by device, oldest first; `alice.token` is the phone's. */
const keys: Record<'phone' | 'laptop' | 'tablet', string> = { phone: '', laptop: '', tablet: '' }

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  keys.phone = alice.token
  keys.laptop = await mintToken(t.db, alice.id, { name: 'Laptop' })
  keys.tablet = await mintToken(t.db, alice.id, { name: 'Tablet', ttlSeconds: 3600 })
  // Distinct creation times, so "newest first" has one right answer.
  for (const [i, key] of [keys.phone, keys.laptop, keys.tablet].entries()) {
    await t.db
      .updateTable('auth_tokens')
      .set({ created: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() })
      .where('key_hash', '=', hashKey(key))
      .execute()
  }
  app = Fastify()
  app.decorate('db', t.db)
  app.decorate('users', t.app.users)
  await installPipeline(app, { defaults: { authentication: [BasicScheme, TokenScheme] } })
  await app.register(accounts, { prefix: '/api', routes: ['tokens'] })
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const get = (url: string, key?: string) =>
  app.inject({ url, headers: key ? { authorization: `Token ${key}` } : {} })
const revoke = (id: string, key?: string) =>
  app.inject({
    method: 'DELETE',
    url: `/api/auth/tokens/${id}/`,
    headers: key ? { authorization: `Token ${key}` } : {},
  })

async function tokenId(key: string) {
  const row = await t.db
    .selectFrom('auth_tokens')
    .select('id')
    .where('key_hash', '=', hashKey(key))
    .executeTakeFirstOrThrow()
  return row.id
}

async function lastUsed(key: string) {
  const row = await t.db
    .selectFrom('auth_tokens')
    .select('last_used')
    .where('key_hash', '=', hashKey(key))
    .executeTakeFirstOrThrow()
  return row.last_used === null ? null : new Date(row.last_used).toISOString()
}

describe('GET /api/auth/tokens/', () => {
  it("lists only the user's own tokens, newest first, the current one marked", async () => {
    const res = await get('/api/auth/tokens/', keys.laptop)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results'])
    expect(body).toMatchObject({ count: 3, next: null, previous: null })
    expect(body.results.map((r: { name: string }) => r.name)).toEqual(['Tablet', 'Laptop', ''])
    expect(body.results.map((r: { current: boolean }) => r.current)).toEqual([false, true, false])
    for (const row of body.results) {
      expect(Object.keys(row).sort()).toEqual(
        ['created', 'current', 'expires', 'id', 'last_used', 'name'].sort(),
      )
    }
    expect(body.results[0].expires).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(body.results[1].expires).toBeNull()
    expect(body.results[2].created).toBe('2026-01-01T00:00:00.000Z')
    expect(body.results[1].id).toBe(await tokenId(keys.laptop))
  })

  it('never shows a key or a key hash, of this user or another', async () => {
    const text = (await get('/api/auth/tokens/', keys.laptop)).body
    for (const key of [...Object.values(keys), bob.token]) {
      expect(text).not.toContain(key)
      expect(text).not.toContain(hashKey(key))
    }
    expect(text).not.toContain('key')
  })

  it('marks no token current for a request that did not come with one (Basic)', async () => {
    const res = await app.inject({
      url: '/api/auth/tokens/',
      headers: {
        authorization: `Basic ${Buffer.from(`alice:${alice.password}`).toString('base64')}`,
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().results.map((r: { current: boolean }) => r.current)).toEqual([
      false,
      false,
      false,
    ])
  })

  it('is paginated like every list', async () => {
    const first = (await get('/api/auth/tokens/?page_size=2', keys.phone)).json()
    expect(first.count).toBe(3)
    expect(first.results).toHaveLength(2)
    expect(first.next).toBe('http://localhost/api/auth/tokens/?page=2&page_size=2')
    expect(first.previous).toBeNull()
    const second = (await get(first.next, keys.phone)).json()
    expect(second.results.map((r: { name: string }) => r.name)).toEqual([''])
    expect(second.previous).toBe('http://localhost/api/auth/tokens/?page_size=2')
    const past = await get('/api/auth/tokens/?page=3&page_size=2', keys.phone)
    expect(past.statusCode).toBe(404)
    expect(past.json()).toEqual({ detail: 'Invalid page.' })
  })

  it('asks an anonymous client to log in', async () => {
    for (const res of [await get('/api/auth/tokens/'), await revoke(await tokenId(bob.token))]) {
      expect(res.statusCode).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
      expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    }
    expect((await get('/api/auth/tokens/', bob.token)).json().count).toBe(1)
  })
})

describe('DELETE /api/auth/tokens/{id}/', () => {
  it("answers another user's token exactly like an unknown one: 404, nothing revoked", async () => {
    const bobs = await revoke(await tokenId(bob.token), keys.phone)
    const unknown = await revoke('0'.repeat(32), keys.phone)
    const malformed = await revoke('not-an-id', keys.phone)
    // U+0000 is no id PostgreSQL could hold: a miss too, not a refused query (500).
    const nul = await revoke('a%00b', keys.phone)
    for (const res of [bobs, unknown, malformed, nul]) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({ detail: 'Not found.' })
    }
    expect((await get('/api/auth/tokens/', bob.token)).statusCode).toBe(200)
  })

  it('offers no way to read one token (list and destroy only)', async () => {
    const res = await get(`/api/auth/tokens/${await tokenId(keys.phone)}/`, keys.phone)
    expect(res.statusCode).toBe(405)
  })

  it('revokes one of the own tokens: it stops working, the others keep working', async () => {
    const carol = await t.user('carol')
    const spare = await mintToken(t.db, carol.id, { name: 'Spare' })
    const res = await revoke(await tokenId(spare), carol.token)
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const gone = await get('/api/auth/tokens/', spare)
    expect(gone.statusCode).toBe(401)
    expect(gone.json()).toEqual({ detail: 'Invalid token.' })
    const still = await get('/api/auth/tokens/', carol.token)
    expect(still.statusCode).toBe(200)
    expect(still.json().count).toBe(1)
    expect((await get('/api/auth/tokens/', bob.token)).statusCode).toBe(200)
  })

  it('revokes the token that sends the request (a logout by id)', async () => {
    const dave = await t.user('dave')
    expect((await revoke(await tokenId(dave.token), dave.token)).statusCode).toBe(204)
    expect((await get('/api/auth/tokens/', dave.token)).statusCode).toBe(401)
  })
})

describe('last_used', () => {
  it('is set when a token authenticates, and not rewritten within a minute', async () => {
    const erin = await t.user('erin')
    expect(await lastUsed(erin.token)).toBeNull()
    const before = Date.now()
    expect((await get('/api/auth/tokens/', erin.token)).statusCode).toBe(200)
    // Written in the background, after the answer: wait for it.
    const first = await vi.waitFor(async () => {
      const value = await lastUsed(erin.token)
      expect(value).not.toBeNull()
      return value!
    })
    expect(Date.parse(first)).toBeGreaterThanOrEqual(before - 1000)
    for (let i = 0; i < 3; i++) await get('/api/auth/tokens/', erin.token)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await lastUsed(erin.token)).toBe(first)
    const listed = (await get('/api/auth/tokens/', erin.token)).json().results[0]
    expect(listed.last_used).toBe(first)
  })

  it('is rewritten once it is more than a minute old', async () => {
    const frank = await t.user('frank')
    const old = new Date(Date.now() - 2 * 60_000).toISOString()
    await t.db
      .updateTable('auth_tokens')
      .set({ last_used: old })
      .where('key_hash', '=', hashKey(frank.token))
      .execute()
    await get('/api/auth/tokens/', frank.token)
    await vi.waitFor(async () => {
      expect(Date.parse((await lastUsed(frank.token))!)).toBeGreaterThan(Date.parse(old) + 60_000)
    })
  })

  it('is not touched by a refused token (its user inactive)', async () => {
    const gina = await t.user('gina', { is_active: false })
    const res = await get('/api/auth/tokens/', gina.token)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'User inactive or deleted.' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await lastUsed(gina.token)).toBeNull()
  })
})
