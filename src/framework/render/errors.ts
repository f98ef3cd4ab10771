import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { ApiError, ParseError, UnsupportedMediaType } from '../errors.ts'
import { type ExceptionHandler, errorPayload } from './exception-handler.ts'

// Codes for Fastify's client errors other than parse errors, which DRF has no exception class for.
const CODE_OF_STATUS: Record<number, string> = {
  404: 'not_found',
  413: 'request_too_large',
}

function fromFastify(err: FastifyError): ApiError | null {
  const status = err.statusCode ?? 500
  if (status >= 500) return null
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new UnsupportedMediaType(err.message.replace(/^Unsupported Media Type: /, ''))
  }
  const apiError = status === 400 ? new ParseError(err.message) : new ApiError(err.message)
  apiError.status = status
  if (status !== 400) apiError.code = CODE_OF_STATUS[status] ?? 'error'
  return apiError
}

const SERVER_ERROR = JSON.stringify({ detail: 'A server error occurred.' })

// What an unexpected error is answered with: DRF's APIException (500, code `error`).
function serverError(): ApiError {
  const apiError = new ApiError()
  apiError.status = 500
  return apiError
}

/**
 * Answer with an ApiError: its status, its headers (WWW-Authenticate, Retry-After) and DRF's body,
 * shaped by the server's exception handler.
 */
export function sendApiError(reply: FastifyReply, apiError: ApiError) {
  // Serialized here: a refusal has no response schema, and Fastify's search for one per status
  // costs more than JSON.stringify of a detail.
  const payload = errorPayload(apiError, reply.request)
  if (payload === null) {
    reply.code(500).type('application/json; charset=utf-8').send(SERVER_ERROR)
    return
  }
  reply
    .code(apiError.status)
    .headers(apiError.headers)
    .type('application/json; charset=utf-8')
    .send(payload)
}

/**
 * Render every error in one place: ApiErrors as DRF bodies with their headers, Fastify's own
 * client errors likewise, and anything else as a 500 whose cause goes to the log, not the client.
 * `exceptionHandler` shapes every one of those bodies (DRF's EXCEPTION_HANDLER).
 */
export function installErrorRendering(
  app: FastifyInstance,
  exceptionHandler: ExceptionHandler | null = null,
) {
  app.decorate('exceptionHandler', exceptionHandler)
  // Returns nothing: a returned reply is a thenable Fastify would wait on, at a cost per error.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastify(err)
    if (apiError) {
      // A 405 names what the path does answer (RFC 9110 requires it; DRF sends it).
      if (apiError.status === 405 && !apiError.headers.allow) {
        const allow = request.server.routeTable.allowHeader(request.url.split('?')[0] ?? '')
        if (allow) apiError.headers.allow = allow
      }
      sendApiError(reply, apiError)
      return
    }
    request.log.error({ err }, 'unhandled error')
    sendApiError(reply, serverError())
  })
}
