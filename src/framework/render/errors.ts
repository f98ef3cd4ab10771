import type { FastifyError, FastifyInstance } from 'fastify'
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

/**
 * Render every error in one place: ApiErrors as DRF bodies with their headers, Fastify's own
 * client errors likewise, and anything else as a 500 whose cause goes to the log, not the client.
 */
export function installErrorRendering(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastify(err)
    if (apiError) {
      return reply.code(apiError.status).headers(apiError.headers).send(apiError.body())
    }
    request.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ detail: 'A server error occurred.' })
  })
}
