import type { FastifyRequest } from 'fastify'
import { ParseError } from '../errors.ts'
import type { UploadLimits } from '../files/read-upload.ts'
import { BodyProblem, tooManyFields } from './body-problem.ts'

/** The most files a multipart body may carry (as readUpload's). */
const MAX_FILES = 4

type FileStream = AsyncIterable<Buffer> & { truncated: boolean }

function multipartError(message: string): ParseError {
  return new ParseError(`Multipart form parse error - ${message}`)
}

// A file on a route that takes none is read and dropped, as far as the upload cap; past it the
// rest of the body is not read, and the connection is closed.
async function dropFile(file: FileStream, limits: UploadLimits) {
  for await (const _ of file) {
    if (file.truncated) break
  }
  if (file.truncated) {
    const error = multipartError(`a file is larger than ${limits.maxBytes} bytes`)
    error.headers.connection = 'close'
    throw error
  }
}

function add(fields: Record<string, string | string[]>, name: string, value: string) {
  const previous = fields[name]
  if (previous === undefined) fields[name] = value
  else if (Array.isArray(previous)) previous.push(value)
  else fields[name] = [previous, value]
}

/**
 * Read a multipart body as a form (DRF's MultiPartParser on a route that takes no file): its
 * fields as strings, a repeated name giving a list, as a form's; files are dropped. The body
 * becomes the fields, or the problem (too many fields or files, a field or file too large,
 * a malformed body), kept for the handler as every parser's.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  limits: { maxFields: number; maxFieldBytes: number; uploads: UploadLimits },
): Promise<void> {
  const fields: Record<string, string | string[]> = Object.create(null)
  try {
    const parts = request.parts({
      limits: {
        fields: limits.maxFields,
        fieldSize: limits.maxFieldBytes,
        files: MAX_FILES,
        fileSize: limits.uploads.maxBytes,
        parts: limits.maxFields + MAX_FILES,
      },
    })
    for await (const part of parts) {
      if (part.type === 'file') await dropFile(part.file, limits.uploads)
      else if (part.valueTruncated) {
        throw multipartError(
          `field "${part.fieldname}" is larger than ${limits.maxFieldBytes} bytes`,
        )
      } else {
        // A part typed application/json comes parsed: it is given back as its JSON text.
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value)
        add(fields, part.fieldname, value)
      }
    }
    request.body = fields
  } catch (err) {
    request.body = problem(err, limits.maxFields)
  }
}

function problem(err: unknown, maxFields: number): BodyProblem {
  if (err instanceof ParseError) return new BodyProblem(err)
  const { code, message } = err as { code?: string; message: string }
  if (code === 'FST_FIELDS_LIMIT') return tooManyFields(maxFields)
  if (code === 'FST_FILES_LIMIT')
    return new BodyProblem(multipartError(`more than ${MAX_FILES} files`))
  return new BodyProblem(multipartError(message))
}
