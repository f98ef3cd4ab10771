import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// A Redis of this test's own (on a free port) stops mid-run: what needs it answers a clear 503
// at once, what does not keeps working, and everything comes back when Redis does.
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0
const UNAVAILABLE = { detail: 'Service temporarily unavailable, try again later.' }
// No answer may take longer than this, whether Redis is gone, hung or back.
const BOUND_MS = 3000

let port = 0
let redis: ChildProcess | undefined
let t: TestApp
let alice: TestUser
let session = ''
// The same Redis, no throttle rates: nothing but the session store stands between a password
// change and its commit.
let unthrottled: TestApp
let bob: TestUser

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

// Not persistent: a restart comes back empty, as a Redis that lost its data would.
async function startRedis() {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'])
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  const deadline = Date.now() + 10_000
  while (!out.includes('Ready to accept connections')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`redis-server did not start on ${port}:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  redis = child
}

async function stopRedis() {
  const child = redis
  redis = undefined
  if (!child || child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited
}

// A request, and how long its answer took.
async function timed(options: Parameters<TestApp['request']>[0]) {
  const started = Date.now()
  const res = await t.request(options)
  return { res, ms: Date.now() - started }
}

const asAliceBySession = () =>
  timed({ method: 'GET', url: '/rbac/users/me', cookies: { sessionid: session } })
const asAliceByToken = () => timed({ method: 'GET', url: '/rbac/users/me', token: alice.token })
const health = () => timed({ method: 'GET', url: '/health' })
const badLogin = () =>
  timed({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: { username: 'alice', password: 'not-her-password' },
  })

async function sessionLogin() {
  const res = await t.request({
    method: 'POST',
    url: '/rbac/auth/login',
    json: { email: alice.email, password: PASSWORD },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.cookies.find((c) => c.name === 'sessionid')!.value
}

const title = `Redis stopped mid-run${hasRedisServer ? '' : ' (skipped: redis-server is not installed)'}`
describe.skipIf(!hasRedisServer)(title, () => {
  beforeAll(async () => {
    port = await freePort()
    await startRedis()
    t = await createTestApp(
      { THROTTLE_RATES: 'login=100/min' },
      { redisUrl: `redis://127.0.0.1:${port}` },
    )
    alice = await t.user('alice')
    session = await sessionLogin()
    unthrottled = await createTestApp({}, { redisUrl: `redis://127.0.0.1:${port}` })
    bob = await unthrottled.user('bob')
  })
  afterAll(async () => {
    await unthrottled?.close()
    await t?.close()
    await stopRedis()
  })

  it('works while Redis answers', async () => {
    expect((await asAliceBySession()).res.statusCode).toBe(200)
    expect((await badLogin()).res.statusCode).toBe(400)
    const { res } = await health()
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' })
  })

  it('answers 503 within the bound when Redis hangs (paused), and recovers when it resumes', async () => {
    redis!.kill('SIGSTOP')
    try {
      const bySession = await asAliceBySession()
      expect(bySession.res.statusCode).toBe(503)
      expect(bySession.res.json()).toEqual(UNAVAILABLE)
      expect(bySession.ms).toBeLessThan(BOUND_MS)
      const byToken = await asAliceByToken()
      expect(byToken.res.statusCode).toBe(200)
      expect(byToken.ms).toBeLessThan(BOUND_MS)
    } finally {
      redis!.kill('SIGCONT')
    }
    expect((await asAliceBySession()).res.statusCode).toBe(200)
  })

  it('answers 503 for what needs Redis once it is gone, and serves the rest', async () => {
    await stopRedis()

    const bySession = await asAliceBySession()
    expect(bySession.res.statusCode).toBe(503)
    expect(bySession.res.json()).toEqual(UNAVAILABLE)
    expect(bySession.res.headers['retry-after']).toBe('5')

    // Token authentication needs no Redis, and no rate is configured for the anon/user scopes.
    const byToken = await asAliceByToken()
    expect(byToken.res.statusCode).toBe(200)
    expect(byToken.res.json()).toMatchObject({ username: 'alice' })

    // A login's throttle cannot be counted: the limit is not waived, the login waits.
    const login = await badLogin()
    expect(login.res.statusCode).toBe(503)
    expect(login.res.json()).toEqual(UNAVAILABLE)

    const newSession = await timed({
      method: 'POST',
      url: '/rbac/auth/login',
      json: { email: alice.email, password: PASSWORD },
    })
    expect(newSession.res.statusCode).toBe(503)

    const probe = await health()
    expect(probe.res.statusCode).toBe(503)
    expect(probe.res.json()).toEqual({ status: 'error', database: 'ok', redis: 'unavailable' })

    // Old sessions cannot be ended: the password change is refused whole, not half made.
    const hashOf = async () =>
      (
        await unthrottled.db
          .selectFrom('users')
          .select('password')
          .where('id', '=', bob.id)
          .executeTakeFirstOrThrow()
      ).password
    const before = await hashOf()
    const change = await unthrottled.request({
      method: 'POST',
      url: '/api/auth/users/set_password/',
      token: bob.token,
      json: { current_password: PASSWORD, new_password: 'An0ther-long-passphrase' },
    })
    expect(change.statusCode, change.body).toBe(503)
    expect(await hashOf()).toBe(before)
    const stillHere = await unthrottled.request({
      method: 'GET',
      url: '/api/auth/users/me/',
      token: bob.token,
    })
    expect(stillHere.statusCode).toBe(200)

    for (const { ms } of [bySession, byToken, login, newSession, probe]) {
      expect(ms).toBeLessThan(BOUND_MS)
    }
  })

  it('recovers by itself when Redis returns (its sessions lost with it)', async () => {
    await startRedis()
    const deadline = Date.now() + 10_000
    while ((await health()).res.statusCode !== 200) {
      if (Date.now() > deadline) throw new Error('the server did not reconnect to Redis')
      await new Promise((r) => setTimeout(r, 100))
    }
    // The old session was in the Redis that went away: anonymous now, not an error.
    expect((await asAliceBySession()).res.statusCode).toBe(401)
    expect((await badLogin()).res.statusCode).toBe(400)
    session = await sessionLogin()
    const bySession = await asAliceBySession()
    expect(bySession.res.statusCode).toBe(200)
    expect(bySession.res.json()).toMatchObject({ username: 'alice' })
    expect((await asAliceByToken()).res.statusCode).toBe(200)
  })
})
