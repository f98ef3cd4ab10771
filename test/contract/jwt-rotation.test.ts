import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtApp, type JwtTestApp } from '../helpers/jwt-app.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// ROTATE_REFRESH_TOKENS=1 (the anchor's instance B), with rotation families: a rotated-out token
// answers within the grace window (10 s), and presented after it revokes its whole family.
let t: TestApp
let s: JwtTestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.user('rot')
  s = await createJwtApp(t, { rotateRefreshTokens: true })
})
afterAll(async () => {
  await s?.close()
  await t?.close()
})

const BLACKLISTED = { detail: 'Token is blacklisted', code: 'token_not_valid' }

async function login(app = s) {
  const res = await app.post('/api/token/', { username: 'rot', password: PASSWORD })
  expect(res.statusCode).toBe(200)
  return res.json().refresh as string
}

async function refresh(token: string, app = s) {
  const res = await app.post('/api/token/refresh/', { refresh: token })
  return { status: res.statusCode, body: res.json() }
}

async function rotate(token: string) {
  const res = await refresh(token)
  expect(res.status).toBe(200)
  return res.body.refresh as string
}

async function jtisIn(table: 'jwt_blacklist' | 'jwt_refresh_families') {
  const rows = await t.db.selectFrom(table).select('jti').execute()
  return new Set(rows.map((r) => r.jti))
}

describe('rotation', () => {
  it('answers {access, refresh} with a new refresh token that works', async () => {
    const r0 = await login()
    const res = await refresh(r0)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'refresh'])
    const r1 = res.body.refresh
    expect(decodeJwt(r1).jti).not.toBe(decodeJwt(r0).jti)
    expect((await s.bearer(res.body.access)).statusCode).toBe(200)
    expect((await refresh(r1)).status).toBe(200)
  })

  it('within the grace window, the old token gets the same successor again', async () => {
    const r0 = await login()
    const r1 = await rotate(r0)
    s.clock.advance(10)
    const again = await refresh(r0)
    expect(again.status).toBe(200)
    expect(again.body.refresh).toBe(r1)
    expect((await s.bearer(again.body.access)).statusCode).toBe(200)
  })

  it('after the grace window, the old token is refused and its family revoked', async () => {
    const r0 = await login()
    const r1 = await rotate(r0)
    s.clock.advance(11)
    expect(await refresh(r0)).toEqual({ status: 401, body: BLACKLISTED })
    // The successor was revoked with its family: whoever replayed r0 may hold it.
    expect(await refresh(r1)).toEqual({ status: 401, body: BLACKLISTED })
  })

  it('a replay revokes the descendants several rotations down', async () => {
    const r0 = await login()
    const r1 = await rotate(r0)
    s.clock.advance(30)
    const r2 = await rotate(r1)
    s.clock.advance(30)
    const r3 = await rotate(r2)
    expect(await refresh(r1)).toEqual({ status: 401, body: BLACKLISTED })
    expect(await refresh(r3)).toEqual({ status: 401, body: BLACKLISTED })
    // Another login is another family, untouched.
    expect((await refresh(await login())).status).toBe(200)
  })

  it("within the window, answers with the family's newest token, even two rotations on", async () => {
    const r0 = await login()
    const r1 = await rotate(r0)
    s.clock.advance(2)
    const r2 = await rotate(r1)
    s.clock.advance(2)
    expect((await refresh(r0)).body.refresh).toBe(r2)
    expect((await refresh(r1)).body.refresh).toBe(r2)
  })

  it('gives nothing back within the window once the family was logged out', async () => {
    const r0 = await login()
    const r1 = await rotate(r0)
    expect((await s.post('/api/token/blacklist/', { refresh: r1 })).statusCode).toBe(200)
    expect(await refresh(r0)).toEqual({ status: 401, body: BLACKLISTED })
  })

  it('tabs refreshing the same token at once all get the same successor', async () => {
    const r0 = await login()
    const once = await Promise.all([refresh(r0), refresh(r0), refresh(r0)])
    expect(once.map((a) => a.status)).toEqual([200, 200, 200])
    expect(new Set(once.map((a) => a.body.refresh)).size).toBe(1)
    // And for a token that is itself a successor (its row exists: the compare-and-set path).
    s.clock.advance(60)
    const r1 = once[0].body.refresh
    const twice = await Promise.all([refresh(r1), refresh(r1), refresh(r1)])
    expect(twice.map((a) => a.status)).toEqual([200, 200, 200])
    expect(new Set(twice.map((a) => a.body.refresh)).size).toBe(1)
    expect(twice[0].body.refresh).not.toBe(r1)
  })

  it('verify says a rotated-out token is blacklisted (400, the anchor quirk)', async () => {
    const r0 = await login()
    await rotate(r0)
    const res = await s.post('/api/token/verify/', { token: r0 })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ non_field_errors: ['Token is blacklisted'] })
  })

  it('with BLACKLIST_AFTER_ROTATION=0, rotated-out tokens stay valid (simplejwt)', async () => {
    const open = await createJwtApp(t, { rotateRefreshTokens: true, blacklistAfterRotation: false })
    const r0 = await login(open)
    const first = await refresh(r0, open)
    open.clock.advance(60)
    const second = await refresh(r0, open)
    expect([first.status, second.status]).toEqual([200, 200])
    expect(second.body.refresh).not.toBe(first.body.refresh)
    await open.close()
  })
})

describe('pruning', () => {
  it('deletes the rows of expired tokens, at most once a minute per process', async () => {
    const app = await createJwtApp(t, { rotateRefreshTokens: true })
    const r0 = await login(app)
    const r1 = (await refresh(r0, app)).body.refresh
    const [j0, j1] = [decodeJwt(r0).jti!, decodeJwt(r1).jti!]
    expect(await jtisIn('jwt_blacklist')).toContain(j0)
    expect([...(await jtisIn('jwt_refresh_families'))]).toEqual(expect.arrayContaining([j0, j1]))

    // Two days on, both tokens are long expired; the next write sweeps their rows.
    app.clock.advance(2 * 86_400)
    const s0 = await login(app)
    await refresh(s0, app)
    for (const table of ['jwt_blacklist', 'jwt_refresh_families'] as const) {
      const left = await jtisIn(table)
      expect(left.has(j0) || left.has(j1)).toBe(false)
      expect(left.has(decodeJwt(s0).jti!)).toBe(true)
    }

    // Swept at most once a minute: a stale row survives writes until the minute is over.
    const stale = 'f'.repeat(32)
    const past = new Date(app.clock.now() - 86_400_000).toISOString()
    await t.db.insertInto('jwt_blacklist').values({ jti: stale, expires: past }).execute()
    app.clock.advance(30)
    await app.post('/api/token/blacklist/', { refresh: await login(app) })
    expect(await jtisIn('jwt_blacklist')).toContain(stale)
    app.clock.advance(31)
    await app.post('/api/token/blacklist/', { refresh: await login(app) })
    expect(await jtisIn('jwt_blacklist')).not.toContain(stale)
    await app.close()
  })
})
