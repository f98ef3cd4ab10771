import type { IncomingMessage, ServerResponse } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** How long a drain may take before the connections still open are cut. */
export const DRAIN_DEADLINE_MS = 10_000
/** How long an idle keep-alive connection is left open, during a drain, for one more request. */
export const IDLE_GRACE_MS = 1000

/** Bounds of the drain. */
export interface DrainOptions {
  deadlineMs?: number
  idleGraceMs?: number
}

/**
 * Stop accepting connections, and leave the open ones be (http.Server#close would also destroy idle
 * keep-alive connections at once, resetting a request a client is writing on one that very moment).
 */
export function stopAccepting(app: FastifyInstance): void {
  if (app.server.listening) NetServer.prototype.close.call(app.server)
}

// What the drain needs of a connection, kept without a listener per request: requests are
// counted, and the last response is looked at only while draining.
interface Connection {
  requests: number
  last: ServerResponse | null
  /** The request count when the drain last looked, and since when it has not changed. */
  seen: number
  idleSince: number
}

/**
 * Make `app.close()` drain a listening server: stop accepting at once; answer every request already
 * received, and every one that still arrives on an open keep-alive connection, with `Connection:
 * close`; close connections left idle after a grace; after the deadline cut what remains. Then the
 * close goes on, and onClose hooks close the pools. The server must not answer 503 while closing
 * (Fastify's `return503OnClosing: false`).
 */
export function drainOnClose(app: FastifyInstance, options: DrainOptions = {}) {
  const deadlineMs = options.deadlineMs ?? DRAIN_DEADLINE_MS
  const idleGraceMs = options.idleGraceMs ?? IDLE_GRACE_MS
  const { server } = app
  const connections = new Map<Socket, Connection>()
  let draining = false
  let listened = false

  server.once('listening', () => {
    listened = true
  })
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { requests: 0, last: null, seen: 0, idleSince: 0 })
    socket.once('close', () => connections.delete(socket))
  })
  // Before Fastify's own listener, which may write the whole answer before returning.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = connections.get(req.socket)
    if (!connection) return
    connection.requests++
    connection.last = res
    // Answered during the drain: its client is told not to send another on this connection.
    if (draining) res.setHeader('connection', 'close')
  })

  app.addHook('preClose', async () => {
    // A server that never listened (tests' inject) has nothing to drain.
    if (!listened) return
    draining = true
    const started = Date.now()
    for (const c of connections.values()) {
      c.seen = c.requests
      c.idleSince = started
      if (c.last && !c.last.headersSent) c.last.setHeader('connection', 'close')
    }
    stopAccepting(app)
    app.log.info(`shutdown: stopped listening, draining ${connections.size} connection(s)`)
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const now = Date.now()
        const cut = now - started >= deadlineMs
        for (const [socket, c] of connections) {
          // A response not yet flushed, or a request since the last look: not idle.
          if ((c.last && !c.last.writableFinished) || c.requests !== c.seen) {
            c.seen = c.requests
            c.idleSince = now
          }
          if (cut || now - c.idleSince >= idleGraceMs) socket.destroy()
        }
        if (cut && connections.size > 0) {
          app.log.warn(`shutdown: cut ${connections.size} connection(s) after ${deadlineMs} ms`)
        }
        if (cut || connections.size === 0) {
          clearInterval(poll)
          resolve()
        }
      }, 25)
    })
    app.log.info(`shutdown: drained in ${Date.now() - started} ms`)
  })
}
