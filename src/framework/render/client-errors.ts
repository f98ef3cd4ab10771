import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { NotFound, ParseError } from '../errors.ts'
import { errorPayload } from './exception-handler.ts'

// What Node's parser refuses before any route runs, with the status Fastify gives it.
const STATUS_OF: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
}

const DETAIL_OF: Record<number, string> = {
  400: 'Malformed request.',
  404: 'Not found.',
  408: 'Request timeout.',
  431: 'Request header fields too large.',
}

// How long a refused connection is still read from after its answer, before it is cut.
const LINGER_MS = 2000

// What Fastify's router refuses before any hook runs. A path it cannot decode, or whose
// parameter is longer than any id, names no resource: Django answers both 404 "Not found.".
const ROUTER_STATUS_OF: Record<string, number> = {
  FST_ERR_BAD_URL: 404,
  FST_ERR_MAX_PARAM_LENGTH: 404,
}

/**
 * Fastify's `clientErrorHandler` with DRF's error shape: a request Node's HTTP parser refuses (a
 * control character in a header, an oversized head, a request not received within the request
 * timeout) is answered `{"detail": …}` with `headers` (the security headers) like every other
 * error, not with Fastify's own body.
 */
export function apiClientErrorHandler(headers: Record<string, string>) {
  let extra = ''
  for (const [name, value] of Object.entries(headers)) extra += `${name}: ${value}\r\n`
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    // Gone, or answered already (what the client sent after its refusal is refused too).
    if (err.code === 'ECONNRESET' || socket.destroyed || socket.writableEnded) return
    if (!socket.writable) {
      socket.destroy(err)
      return
    }
    const status = STATUS_OF[err.code ?? ''] ?? 400
    const body = JSON.stringify({ detail: DETAIL_OF[status] })
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
    )
    // Cut at once, a connection the client is still sending on is reset, and the reset can
    // erase the answer before the client reads it: the answer ends the writing side, and the
    // connection is cut after a moment (or when the client closes it).
    const linger = setTimeout(() => socket.destroy(), LINGER_MS)
    socket.once('close', () => clearTimeout(linger))
  }
}

/**
 * Fastify's `frameworkErrors` with DRF's error shape: what the router refuses before any hook
 * runs (so before the onRequest hook that adds them) gets `headers` and a `{"detail": …}` body,
 * shaped by the server's exception handler like every other error.
 */
export function apiFrameworkErrors(headers: Record<string, string>) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const refusal = ROUTER_STATUS_OF[err.code] === 404 ? new NotFound() : new ParseError()
    const payload = errorPayload(refusal, request)
    reply
      .code(payload === null ? 500 : refusal.status)
      .headers(headers)
      .type('application/json; charset=utf-8')
      .send(payload ?? JSON.stringify({ detail: 'A server error occurred.' }))
  }
}
