import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

interface Answer {
  status: number
  headers: Record<string, string>
  body: string
  /** The socket's error, when it ended with one (EPIPE, ECONNRESET). */
  error?: string
  ms: number
}

/**
 * Send `head`, then let `write` send the body while the answer is read as it comes; resolve
 * with what the client read once it has written all it meant to and the server has closed (or
 * the connection broke, or `waitMs` passed). Like curl, the client goes on writing after the
 * server's FIN.
 */
function exchange(
  server: TestApp,
  head: string,
  write: (socket: Socket) => Promise<void> | void,
  waitMs = 10_000,
) {
  return new Promise<Answer>((resolve) => {
    const started = Date.now()
    const socket = connect({ port: ports.get(server) ?? 0, host: '127.0.0.1', allowHalfOpen: true })
    const chunks: Buffer[] = []
    let error: string | undefined
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      // An interim "100 Continue" is not the answer.
      const text = Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '')
      const [top = '', body = ''] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = top.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const at = line.indexOf(':')
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body,
        error,
        ms: Date.now() - started,
      })
    }
    const timer = setTimeout(done, waitMs)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code
    })
    let ended = false
    let written = false
    const settle = () => {
      if (ended && written) done()
    }
    socket.on('end', () => {
      ended = true
      settle()
    })
    socket.on('close', done)
    socket.write(head)
    Promise.resolve(write(socket)).then(() => {
      written = true
      settle()
    })
  })
}

function postHead(user: TestUser, url: string, contentType: string, length: number) {
  return (
    `POST ${url} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token ${user.token}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`
  )
}

/**
 * Write `size` bytes of `fill` (then `last`) as a client on a network does: 64 KiB at a time, a
 * few ms apart, so that most of the body is still to be sent when the server answers. Resolves
 * once all is written, or the connection is gone.
 */
function writeAll(socket: Socket, size: number, fill = ' ', last?: Buffer) {
  return new Promise<void>((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, fill)
    let sent = 0
    socket.once('close', () => resolve())
    const next = () => {
      if (socket.destroyed) return
      if (sent >= size) {
        if (last) socket.write(last, () => resolve())
        else resolve()
        return
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent))
      sent += piece.length
      socket.write(piece, () => setTimeout(next, 2))
    }
    next()
  })
}

/** Like `writeAll`, once the server has said "100 Continue" (curl's way with a large body). */
function writeAfterContinue(socket: Socket, size: number) {
  return new Promise<void>((resolve) => {
    socket.once('close', () => resolve())
    socket.once('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('HTTP/1.1 100')) writeAll(socket, size).then(resolve)
      else resolve()
    })
  })
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
        // One byte every 100 ms: the connection is never idle, the request never complete.
        const trickle = setInterval(
          () => (s.destroyed ? clearInterval(trickle) : s.write('a')),
          100,
        )
        s.once('close', () => clearInterval(trickle))
      },
    )
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
    const size = 9 * 1024 * 1024
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
