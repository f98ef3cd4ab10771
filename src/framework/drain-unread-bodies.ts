import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'

/** How much of an unread body is read and thrown away before the answer to its request. */
export interface UnreadBodyBounds {
  /** The most bytes read (default 8 MiB). */
  maxBytes?: number
  /** The longest the reading may take, in ms (default 10 s). */
  maxMs?: number
}

export const DEFAULT_UNREAD_BODY_BYTES = 8 * 1024 * 1024
export const DEFAULT_UNREAD_BODY_MS = 10_000

/** Read and discard the rest of `request`'s body; `done(true)` once it is all read, else false. */
function drain(
  request: IncomingMessage,
  maxBytes: number,
  maxMs: number,
  done: (whole: boolean) => void,
) {
  let read = 0
  const finish = (whole: boolean) => {
    clearTimeout(timer)
    request.off('data', count)
    request.off('end', ended)
    request.off('close', ended)
    if (!whole) request.pause()
    done(whole)
  }
  const count = (chunk: Buffer) => {
    read += chunk.length
    if (read > maxBytes) finish(false)
  }
  const ended = () => finish(request.complete)
  const timer = setTimeout(() => finish(false), maxMs)
  // A parser that gave up on the body (a multipart upload past its cap) stops receiving it.
  request.unpipe()
  request.on('data', count)
  request.once('end', ended)
  request.once('close', ended)
  request.resume()
}

/**
 * Answer a request refused before its body is read (413 for a body over the limit, an upload
 * past its cap) only once that body is read, within `bounds`: closing a connection the client
 * is still writing on resets it, and the client then loses the answer with its pipe. Past the
 * bounds the answer goes out and the connection is closed all the same.
 */
export function drainUnreadBodies(app: FastifyInstance, bounds: UnreadBodyBounds = {}) {
  const maxBytes = bounds.maxBytes ?? DEFAULT_UNREAD_BODY_BYTES
  const maxMs = bounds.maxMs ?? DEFAULT_UNREAD_BODY_MS
  app.addHook('onSend', (request, reply, payload, done) => {
    const raw = request.raw
    // `complete` is true once Node's parser has the whole message (and undefined on an injected
    // request, which has no connection to keep).
    if (raw.complete !== false || raw.socket.destroyed || !hasBody(raw)) {
      done(null, payload)
      return
    }
    drain(raw, maxBytes, maxMs, (whole) => {
      // What is left unread would reset the connection later: it is closed after this answer.
      if (!whole) reply.header('connection', 'close')
      done(null, payload)
    })
  })
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length']
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  )
}
