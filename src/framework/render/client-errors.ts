import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

// What Node's parser refuses before any route runs, with the status Fastify gives it.
const STATUS_OF: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
}

const DETAIL_OF: Record<number, string> = {
  400: 'Malformed request.',
  408: 'Request timeout.',
  431: 'Request header fields too large.',
}

/**
 * Fastify's `clientErrorHandler` with DRF's error shape: a request Node's HTTP parser refuses (a
 * control character in a header, an oversized head) is answered `{"detail": …}` like every other
 * error, not with Fastify's own body.
 */
export function apiClientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status = STATUS_OF[err.code ?? ''] ?? 400
  const body = JSON.stringify({ detail: DETAIL_OF[status] })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
