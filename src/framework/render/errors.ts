import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { ApiError, ParseError, UnsupportedMediaType } from '../errors.ts'

function fromFastify(err: FastifyError): ApiError | null {
  const status = err.statusCode ?? 500
  if (status >= 500) return null
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new UnsupportedMediaType(err.message.replace(/^Unsupported Media Type: /, ''))
  }
  const apiError = status === 400 ? new ParseError(err.message) : new ApiError(err.message)
  apiError.status = status
  return apiError
}

/** Answer with an ApiError: its status, its headers (WWW-Authenticate, Retry-After) and DRF's body. */
export function sendApiError(reply: FastifyReply, apiError: ApiError) {
  // Serialized here: a refusal has no response schema, and Fastify's search for one per status
  // costs more than JSON.stringify of a detail.
  reply
    .code(apiError.status)
    .headers(apiError.headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(apiError.body()))
}

/**
 * Render every error in one place: ApiErrors as DRF bodies with their headers, Fastify's own
 * client errors likewise, and anything else as a 500 whose cause goes to the log, not the client.
 */
export function installErrorRendering(app: FastifyInstance) {
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
    reply.code(500).send({ detail: 'A server error occurred.' })
  })
}
