import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ParseError, UnsupportedMediaType, ValidationError } from './errors.ts'

// Parsing errors are kept, not thrown, so they surface where DRF raises them: when the handler
// reads the body, after authentication and permissions (an anonymous bad body answers 401).
class BodyProblem {
  constructor(readonly error: ParseError | UnsupportedMediaType) {}
}

/** Install the JSON, form and catch-all body parsers. */
export async function installBodyParsers(app: FastifyInstance) {
  // Only what we parse is accepted; everything else (text/plain too) is DRF's 415.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, {})
    try {
      done(null, JSON.parse(text))
    } catch (err) {
      done(null, new BodyProblem(new ParseError(`JSON parse error - ${(err as Error).message}`)))
    }
  })
  await app.register(formbody)
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, _body, done) => {
    done(null, new BodyProblem(new UnsupportedMediaType(req.headers['content-type'] ?? '')))
  })
}

/**
 * The request's parsed body (DRF's `request.data`): throws 400/415 for an unparseable one, and
 * 400 "No data provided" for a JSON `null` (DRF's serializers say so before any field); no body
 * at all reads as `{}`.
 */
export function requestData(request: FastifyRequest): unknown {
  const body = request.body
  if (body instanceof BodyProblem) throw body.error
  if (body === null) throw new ValidationError({ non_field_errors: ['No data provided'] })
  return body ?? {}
}
