import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import {
  drainUnreadBodies,
  type UnreadBodyBounds,
} from '../../src/framework/drain-unread-bodies.ts'
import { exchange, writeAll } from '../helpers/raw-http.ts'

// A request refused before its body is read is answered once that body is read, within bounds.
let app: FastifyInstance
let port = 0

async function start(bounds: UnreadBodyBounds) {
  // A 1 KiB body limit: anything larger is refused 413 before it is read.
  app = Fastify({ bodyLimit: 1024 })
  drainUnreadBodies(app, bounds)
  app.post('/echo', async (request) => request.body)
  port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port)
}
afterEach(() => app?.close())

const head = (length: number) =>
  `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${length}\r\n\r\n`

describe('a refused body', () => {
  it('is read to its end within the bounds, then answered', async () => {
    await start({ maxBytes: 4 * 1024 * 1024, maxMs: 5000 })
    const size = 2 * 1024 * 1024
    let wrote = 0
    const answer = await exchange(port, head(size), async (s) => {
      await writeAll(s, size)
      wrote = size
    })
    expect(answer.error).toBeUndefined()
    expect(answer.status).toBe(413)
    expect(wrote).toBe(size)
  })

  it('is cut past its byte bound: answered, and the connection closed', async () => {
    await start({ maxBytes: 256 * 1024, maxMs: 5000 })
    const size = 64 * 1024 * 1024
    const started = Date.now()
    const answer = await exchange(port, head(size), (s) => writeAll(s, size))
    expect(answer.status).toBe(413)
    expect(answer.headers.connection).toBe('close')
    // Far sooner than writing 64 MiB, 64 KiB every few ms, would take.
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('is cut past its time bound: answered, and the connection closed', async () => {
    await start({ maxBytes: 4 * 1024 * 1024, maxMs: 300 })
    const answer = await exchange(port, head(100_000), (s) => {
      s.write('x'.repeat(2048))
      const trickle = setInterval(() => (s.destroyed ? clearInterval(trickle) : s.write('x')), 50)
      s.once('close', () => clearInterval(trickle))
    })
    expect(answer.status).toBe(413)
    expect(answer.headers.connection).toBe('close')
    expect(answer.ms).toBeGreaterThanOrEqual(250)
    expect(answer.ms).toBeLessThan(2000)
  })

  it('leaves an answer to a whole body alone', async () => {
    await start({})
    const body = '{"ok":true}'
    const answer = await exchange(
      port,
      head(body.length).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'),
      (s) => {
        s.write(body)
      },
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ ok: true })
  })
})
