import { Agent, request } from 'node:http'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type DrainOptions, drainOnClose } from '../../src/framework/graceful-close.ts'

// app.close() on a listening server drains: nothing already received is refused or reset.
let app: FastifyInstance
let agent: Agent
let base = ''

async function start(options: DrainOptions) {
  app = Fastify({ return503OnClosing: false, forceCloseConnections: false })
  drainOnClose(app, options)
  app.get('/fast', async () => ({ ok: true }))
  // Answered within Fastify's own request listener: written before any listener added after it.
  app.get('/sync', (_request, reply) => {
    reply.send({ ok: 'sync' })
  })
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 300))
    return { ok: 'slow' }
  })
  app.get('/stuck', () => new Promise(() => {}))
  base = await app.listen({ host: '127.0.0.1', port: 0 })
  // One keep-alive connection, reused by every request.
  agent = new Agent({ keepAlive: true, maxSockets: 1 })
}
afterEach(async () => {
  agent?.destroy()
  await app?.close()
})

interface Answer {
  status: number
  connection: string | undefined
  reused: boolean
}

function get(path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          reused: req.reusedSocket,
        }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

describe('a draining close', () => {
  it('answers a request in flight, with Connection: close, before it completes', async () => {
    await start({})
    const slow = get('/slow')
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    const closed = app.close()
    expect(await slow).toEqual({ status: 200, connection: 'close', reused: false })
    await closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(200)
    await expect(get('/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('serves a request sent on an idle keep-alive connection during the drain', async () => {
    await start({ idleGraceMs: 1000 })
    expect(await get('/fast')).toEqual({ status: 200, connection: 'keep-alive', reused: false })
    const started = Date.now()
    const closed = app.close()
    // The listener is closed at once, but this open connection is still answered.
    await new Promise((r) => setTimeout(r, 100))
    expect(await get('/fast')).toEqual({ status: 200, connection: 'close', reused: true })
    await closed
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('tells the client of an answer written at once, during the drain, to close', async () => {
    await start({ idleGraceMs: 1000 })
    expect(await get('/sync')).toEqual({ status: 200, connection: 'keep-alive', reused: false })
    const closed = app.close()
    await new Promise((r) => setTimeout(r, 100))
    expect(await get('/sync')).toEqual({ status: 200, connection: 'close', reused: true })
    await closed
  })

  it('closes a connection left idle once the grace is over', async () => {
    await start({ idleGraceMs: 300 })
    await get('/fast')
    const started = Date.now()
    await app.close()
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('cuts what is still running at the deadline, and finishes the close', async () => {
    await start({ deadlineMs: 400 })
    const stuck = get('/stuck')
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await app.close()
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(Date.now() - started).toBeLessThan(1500)
    await expect(stuck).rejects.toMatchObject({ code: 'ECONNRESET' })
  })
})
