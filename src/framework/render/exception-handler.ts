import type { FastifyRequest } from 'fastify'
import type { ApiError } from '../errors.ts'

/**
 * DRF's EXCEPTION_HANDLER: shapes the body of every error answer. It is given the error (its
 * `status`, `code` and `message`, the detail), the body DRF would send and the request, and
 * returns the body to send; `undefined` keeps DRF's. The status and headers (WWW-Authenticate,
 * Retry-After, Allow) are the error's whatever the body.
 */
export type ExceptionHandler = (error: ApiError, body: unknown, request: FastifyRequest) => unknown

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's exception handler, or null for DRF's bodies. */
    exceptionHandler: ExceptionHandler | null
  }
}

/**
 * The JSON an error is answered with: DRF's body, shaped by the server's exception handler when
 * it has one. Null when the handler failed (its error goes to the log): the answer is then a 500.
 */
export function errorPayload(apiError: ApiError, request: FastifyRequest): string | null {
  const body = apiError.body()
  // A server the pipeline was not installed on has no decorator: DRF's bodies.
  const handler = request.server.exceptionHandler
  if (!handler) return JSON.stringify(body)
  try {
    const shaped = handler(apiError, body, request)
    return JSON.stringify(shaped === undefined ? body : shaped)
  } catch (err) {
    request.log.error({ err }, 'exception handler failed')
    return null
  }
}
