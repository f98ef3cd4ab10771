import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { UnsupportedMediaType, ValidationError } from './errors.ts'
import { DEFAULT_MAX_UPLOAD_BYTES, type UploadLimits } from './files/read-upload.ts'
import { BodyProblem } from './parsers/body-problem.ts'
import { parseFormBody } from './parsers/form-body.ts'
import { parseJsonBody } from './parsers/json-body.ts'
import { readMultipartForm } from './parsers/multipart-form.ts'
import { takesFiles } from './schema/takes-files.ts'

/** What a request body may hold (Django's DATA_UPLOAD_* settings). */
export interface BodyLimits {
  /**
   * The most fields a form or multipart body may have, and keys a JSON body may have over all its
   * objects; more is a 400 (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS). Default 1000.
   */
  maxFields: number
  /** The size cap of a file in a multipart body (MAX_UPLOAD_BYTES). */
  uploads: UploadLimits
}

/** Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS. */
export const DEFAULT_MAX_FIELDS = 1000

/**
 * Install the JSON, form, multipart and catch-all body parsers (DRF's default parsers, on every
 * route). A parse error is kept as the body, for `requestData` to throw.
 */
export async function installBodyParsers(app: FastifyInstance, options: Partial<BodyLimits> = {}) {
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS
  const uploads = options.uploads ?? { maxBytes: DEFAULT_MAX_UPLOAD_BYTES }
  // Only what we parse is accepted; everything else (text/plain too) is DRF's 415.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, parseJsonBody(body as Buffer, maxFields))
  })
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, parseFormBody(body as string, maxFields))
    },
  )
  // Sizes are checked per file and field as they are read, not against the server's body limit.
  await app.register(multipart, { throwFileSizeLimit: false })
  // A field of a multipart form is no larger than a whole JSON or form body may be.
  const multipartLimits = {
    maxFields,
    maxFieldBytes: app.initialConfig.bodyLimit ?? 1024 * 1024,
    uploads,
  }
  app.addHook('onRoute', (route: RouteOptions) => {
    // A route whose body carries a file reads its multipart stream itself (readUpload).
    if (takesFiles(route.config?.body)) return
    // A callback hook: a request that is not multipart (nearly all) makes no promise.
    const readForm = (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      if (request.isMultipart()) readMultipartForm(request, multipartLimits).then(done, done)
      else done()
    }
    route.preValidation = [readForm, ...toArray(route.preValidation)]
  })
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, _body, done) => {
    done(null, new BodyProblem(new UnsupportedMediaType(req.headers['content-type'] ?? '')))
  })
}

function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
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
