import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { type AddressInfo, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/test-app.ts'

// Operations (API.md §9, issue 6): security headers, CORS for named origins only, and a start
// that stops with one clear line when a configured dependency does not answer.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'https://app.example' })
})
afterAll(() => t?.close())

describe('security headers', () => {
  it('are on every answer, errors included', async () => {
    for (const url of ['/health', '/bucketlists/', '/no/such/path/']) {
      const res = await t.request({ method: 'GET', url })
      expect(res.headers['x-content-type-options'], url).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['referrer-policy']).toBe('same-origin')
    }
  })
})

describe('CORS', () => {
  it('lets a named origin in, with credentials, and answers its preflight', async () => {
    const preflight = await t.request({
      method: 'OPTIONS',
      url: '/bucketlists/',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-csrftoken',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(preflight.headers['access-control-allow-credentials']).toBe('true')
    const get = await t.request({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://app.example' },
    })
    expect(get.headers['access-control-allow-origin']).toBe('https://app.example')
  })

  it('says nothing to any other origin', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('starting with a dependency that does not answer', () => {
  const run = promisify(execFile)
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-start-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function start(env: Record<string, string>) {
    try {
      await run('node', ['--import', 'tsx', 'src/server.ts'], {
        env: { ...process.env, PORT: '0', SECRET_KEY: 'x'.repeat(48), ...env },
        timeout: 20_000,
      })
      return { code: 0, stderr: '' }
    } catch (err) {
      const e = err as { code: number; stderr: string }
      return { code: e.code, stderr: e.stderr }
    }
  }

  it.each([
    [{ DATABASE_URL: 'postgres://root@127.0.0.1:1/none' }, 'DATABASE_URL is not reachable'],
    [{ REDIS_URL: 'redis://127.0.0.1:1' }, 'REDIS_URL is not reachable'],
    [{ THROTTLE_RATES: 'login=5/fortnight' }, 'invalid throttle rate'],
  ])('%j stops the start with one line', async (env, message) => {
    const res = await start({ DATABASE_URL: join(dir, 'db.sqlite3'), ...env })
    expect(res.code).toBe(1)
    const lines = res.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^portcullis: could not start: /)
    expect(lines[0]).toContain(message)
  })
})

describe("a request Node's HTTP parser refuses", () => {
  it('is answered 400 with a DRF-shaped body over a real socket, and the connection closes', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = t.app.server.address() as AddressInfo
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        // A control character inside a header value: llhttp refuses it before any route runs.
        socket.write('GET /bucketlists/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token a\x01b\r\n\r\n')
      })
      let received = ''
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1')
      })
      socket.on('close', () => resolve(received))
      socket.on('error', reject)
    })
    const [head, body] = answer.split('\r\n\r\n')
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    expect(head).toContain('Content-Type: application/json')
    expect(JSON.parse(body)).toEqual({ detail: 'Malformed request.' })
  })
})
