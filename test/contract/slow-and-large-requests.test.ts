import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Answer,
  exchange as exchangeOn,
  writeAfterContinue,
  writeAll,
} from '../helpers/raw-http.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// The connection, over a real socket: a request must arrive within the request timeout, and a
// request refused before its body is read is answered so that the client can read the answer.
// Two servers: one with a short request timeout (so a test need not wait 30 s), one with the
// default (so a large body is never cut by it).
let hasty: TestApp
let patient: TestApp
/** A user of each server. */
let hastyAlice: TestUser
let patientAlice: TestUser

const REQUEST_TIMEOUT_MS = 600

/** The port each server listens on. */
const ports = new Map<TestApp, number>()

async function listen(app: TestApp) {
  ports.set(app, Number(new URL(await app.app.listen({ host: '127.0.0.1', port: 0 })).port))
}

beforeAll(async () => {
  hasty = await createTestApp({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) })
  patient = await createTestApp()
  hastyAlice = await hasty.user('alice')
  patientAlice = await patient.user('alice')
  await listen(hasty)
  await listen(patient)
})
afterAll(async () => {
  await hasty?.close()
  await patient?.close()
})

/** An exchange with one of the two servers. */
function exchange(
  server: TestApp,
  head: string,
  write: Parameters<typeof exchangeOn>[2],
  waitMs?: number,
) {
  return exchangeOn(ports.get(server) ?? 0, head, write, waitMs)
}

function postHead(user: TestUser, url: string, contentType: string, length: number) {
  return (
    `POST ${url} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token ${user.token}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`
  )
}

function expectSecurityHeaders(answer: Answer) {
  expect(answer.headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  })
}

describe('a request that trickles in', () => {
  it('is answered 408 and closed once the request timeout passes', async () => {
    const answer = await exchange(
      hasty,
      postHead(hastyAlice, '/bucketlists/', 'application/json', 100_000),
      (s) => {
        s.write('{"name": "')
        // One byte every 10 ms: the connection is never idle, the request never complete.
        const trickle = setInterval(() => (s.destroyed ? clearInterval(trickle) : s.write('a')), 10)
        s.once('close', () => clearInterval(trickle))
      },
    )
    // Read whole, though the client was still sending when it came.
    expect(answer.error).toBeUndefined()
    expect(answer.status).toBe(408)
    expect(answer.headers['content-type']).toMatch(/^application\/json/)
    expect(answer.headers.connection).toBe('close')
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Request timeout.' })
    expectSecurityHeaders(answer)
    expect(answer.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50)
    expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS * 3)
  })

  it('is answered 408 when its head trickles in too', async () => {
    const answer = await exchange(
      hasty,
      'GET /bucketlists/ HTTP/1.1\r\nHost: localhost\r\n',
      (s) => {
        const trickle = setInterval(
          () => (s.destroyed ? clearInterval(trickle) : s.write('X-A: b\r\n')),
          100,
        )
        s.once('close', () => clearInterval(trickle))
      },
    )
    expect(answer.status).toBe(408)
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Request timeout.' })
    expectSecurityHeaders(answer)
  })

  it('leaves a request sent within the timeout alone', async () => {
    const body = '{"name": "slow but honest"}'
    const answer = await exchange(
      hasty,
      // Connection: close, so that the server closes once it has answered.
      postHead(hastyAlice, '/bucketlists/', 'application/json', body.length).replace(
        '\r\n\r\n',
        '\r\nConnection: close\r\n\r\n',
      ),
      (s) => {
        let at = 0
        // The whole body in about half the timeout.
        const drip = setInterval(
          () => {
            s.write(body.slice(at, at + 4))
            at += 4
            if (at >= body.length) clearInterval(drip)
          },
          Math.floor(REQUEST_TIMEOUT_MS / 2 / (body.length / 4)),
        )
      },
      2000,
    )
    expect(answer.status).toBe(201)
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'slow but honest' })
  })
})

describe('a body too large to take', () => {
  const THREE_MB = 3 * 1024 * 1024

  it('is answered 413 in DRF shape, which the client reads, every time', async () => {
    for (let run = 0; run < 8; run++) {
      const answer = await exchange(
        patient,
        postHead(patientAlice, '/bucketlists/', 'application/json', THREE_MB),
        (s) => writeAll(s, THREE_MB),
      )
      expect(answer.error, `run ${run}`).toBeUndefined()
      expect(answer.status, `run ${run}`).toBe(413)
      expect(JSON.parse(answer.body)).toEqual({ detail: 'Request body is too large' })
      expectSecurityHeaders(answer)
      expect(answer.headers.connection).toBe('close')
    }
  })

  it('is answered so when the client says it closes after the request', async () => {
    const head = postHead(patientAlice, '/bucketlists/', 'application/json', THREE_MB).replace(
      'Host: localhost\r\n',
      'Host: localhost\r\nConnection: close\r\n',
    )
    for (let run = 0; run < 4; run++) {
      const answer = await exchange(patient, head, (s) => writeAll(s, THREE_MB))
      expect(answer.error, `run ${run}`).toBeUndefined()
      expect(answer.status, `run ${run}`).toBe(413)
    }
  })

  it('is answered so when the client waits for 100 Continue before sending it', async () => {
    const head = postHead(patientAlice, '/bucketlists/', 'application/json', THREE_MB).replace(
      'Host: localhost\r\n',
      'Host: localhost\r\nExpect: 100-continue\r\n',
    )
    for (let run = 0; run < 4; run++) {
      const answer = await exchange(patient, head, (s) => writeAfterContinue(s, THREE_MB))
      expect(answer.error, `run ${run}`).toBeUndefined()
      expect(answer.status, `run ${run}`).toBe(413)
      expect(JSON.parse(answer.body)).toEqual({ detail: 'Request body is too large' })
    }
  })

  it('answers an avatar far past its cap with its field error, which the client reads', async () => {
    // The server parses 8 MiB of it (four times the cap, to tell its size), the rest is unread.
    const size = 12 * 1024 * 1024
    const boundary = 'portcullis-boundary'
    const start = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="huge.png"\r\n` +
        'Content-Type: image/png\r\n\r\n',
    )
    const end = Buffer.from(`\r\n--${boundary}--\r\n`)
    const length = start.length + size + end.length
    for (let run = 0; run < 4; run++) {
      const head = postHead(
        patientAlice,
        '/api/avatar/',
        `multipart/form-data; boundary=${boundary}`,
        length,
      )
      const answer = await exchange(patient, head.replace('POST', 'PUT'), (s) => {
        s.write(start)
        writeAll(s, size, 'x', end)
      })
      expect(answer.error, `run ${run}`).toBeUndefined()
      expect(answer.status, `run ${run}`).toBe(400)
      expect(JSON.parse(answer.body)).toEqual({
        avatar: ['Ensure this file is at most 2097152 bytes (it has more than 8388608).'],
      })
    }
  })
})
