import { type ChildProcess, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../src/accounts/index.ts'
import { CookieJar } from '../helpers/cookies.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// WORKERS=2 on the shared database (PostgreSQL in CI) and Redis: any process answers any request
// the same way. Requests over fresh connections are spread by the cluster; the server's own logs
// (pino writes each process's pid) prove both processes answered.
const SECRET_KEY = 'w'.repeat(48)
let t: TestApp
let alice: TestUser
let server: ChildProcess
let base = ''
let log = ''

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  server = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      WORKERS: '2',
      PORT: '0',
      SECRET_KEY,
      THROTTLE_RATES: 'login=3/min',
      REDIS_PREFIX: `test-workers-${Date.now()}:`,
    },
  })
  server.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  server.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const listening = [...log.matchAll(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/g)]
    if (new Set(listening.map((m) => m[0] + m.index)).size >= 2) {
      base = listening[0][1]
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  if (!base) throw new Error(`the server did not start:\n${log}`)
})

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
  }
  await t?.close()
})

// A token signed with the server's key (HS256), whatever its claims.
function hs256(claims: object, key: string): string {
  const part = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url')
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`
}

// A new connection per request, so the cluster spreads them over both processes.
function call(path: string, init: RequestInit = {}) {
  return fetch(`${base}${path}`, { ...init, headers: { connection: 'close', ...init.headers } })
}

function pidsAnswering(path: string): Set<string> {
  const pids = new Set<string>()
  for (const line of log.split('\n')) {
    if (line.includes(`"url":"${path}"`)) pids.add(/"pid":(\d+)/.exec(line)?.[1] ?? '')
  }
  return pids
}

describe('two server processes', () => {
  it('share sessions: a login through one works through the other', async () => {
    const jar = new CookieJar()
    const login = await call('/rbac/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: PASSWORD }),
    })
    expect(login.status).toBe(200)
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0])
    jar.cookies.set('sessionid', cookies.find((c) => c.startsWith('sessionid='))!.slice(10))
    for (let i = 0; i < 8; i++) {
      const me = await call('/rbac/users/me', { headers: { cookie: jar.header() } })
      expect(me.status).toBe(200)
    }
    expect(pidsAnswering('/rbac/users/me').size).toBe(2)
  })

  it('refuse a revoked token and a blacklisted refresh token at once, in every process', async () => {
    const auth = { authorization: `Token ${alice.token}` }
    const before = await call('/rbac/users/me', { headers: auth })
    expect(before.status, await before.text()).toBe(200)
    expect((await call('/api/auth/token/logout/', { method: 'POST', headers: auth })).status).toBe(
      204,
    )
    for (let i = 0; i < 4; i++)
      expect((await call('/rbac/users/me', { headers: auth })).status).toBe(401)

    const json = { 'content-type': 'application/json' }
    const pair = await call('/api/token/', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    })
    const { refresh } = (await pair.json()) as { refresh: string }
    const blacklisted = await call('/api/token/blacklist/', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ refresh }),
    })
    expect(blacklisted.status).toBe(200)
    for (let i = 0; i < 4; i++) {
      const res = await call('/api/token/refresh/', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ refresh }),
      })
      expect(res.status).toBe(401)
    }
    expect(pidsAnswering('/api/token/refresh/').size).toBe(2)
  })

  it('share throttle counters', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await call('/api/auth/token/login/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'mallory', password: 'wrong' }),
      })
      statuses.push(res.status)
    }
    // The session login and the JWT login above came from this address too: 2 + 1, then the limit.
    expect(statuses).toEqual([400, 429, 429, 429])
    expect(pidsAnswering('/api/auth/token/login/').size).toBe(2)
  })

  it('hold a login lock for Basic as well, in every process', async () => {
    // This address spent its login budget above: Basic is refused before its password is checked.
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`
    for (let i = 0; i < 8; i++) {
      const res = await call('/bucketlists/', { headers: { authorization: basic } })
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
    }
    // Each process's log lines arrive after its answers: wait for the eight.
    const lines = () => log.split('\n').filter((line) => line.includes('"url":"/bucketlists/"'))
    for (let wait = 0; lines().length < 8 && wait < 100; wait++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(pidsAnswering('/bucketlists/').size).toBe(2)
  })

  it('answer credentials holding U+0000 without a 5xx', async () => {
    const token = await mintToken(t.db, alice.id)
    const gone = await call('/api/auth/tokens/a%00b/', {
      method: 'DELETE',
      headers: { authorization: `Token ${token}` },
    })
    expect(gone.status).toBe(404)
    const now = Math.floor(Date.now() / 1000)
    const claims = { token_type: 'access', exp: now + 60, iat: now, jti: 'f'.repeat(32) }
    const forged = hs256({ ...claims, user_id: `${alice.id}\u0000` }, SECRET_KEY)
    const res = await call('/rbac/users/me', { headers: { authorization: `Bearer ${forged}` } })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ detail: 'User not found', code: 'user_not_found' })
  })

  it('stop on SIGTERM, every process', async () => {
    server.kill('SIGTERM')
    const code = await new Promise((r) => server.once('exit', r))
    expect(code).toBe(0)
  })
})
