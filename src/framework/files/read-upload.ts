import type { FastifyRequest } from 'fastify'
import { requestData } from '../body.ts'
import { ApiError, ParseError, ValidationError } from '../errors.ts'
import { UploadMessages } from './upload-messages.ts'

/** The size cap of an upload. */
export interface UploadLimits {
  /** The largest file accepted, in bytes. */
  maxBytes: number
}

/** The default cap, 2 MiB (the DRF anchor's). */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024

// A too-large file is counted on (not kept) up to this many times the cap, so the message can
// give its size; past that, reading stops and the connection is closed.
const COUNTED_FACTOR = 4

type FileStream = AsyncIterable<Buffer> & { truncated: boolean }

/** Read a file part: kept while within the cap, only counted past it, cut at the counting limit. */
async function readCapped(file: FileStream, maxBytes: number) {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of file) {
    size += chunk.length
    // Past the cap nothing is kept: memory stays bounded by the cap whatever is sent.
    if (size <= maxBytes) chunks.push(chunk)
    else chunks.length = 0
    if (file.truncated) break
  }
  return { bytes: Buffer.concat(chunks), size, cut: file.truncated }
}

function fieldError(field: string, message: string) {
  return new ValidationError({ [field]: [message] })
}

/** The body of a request that is not multipart: DRF's "not a file" or "no file" for the field. */
function notMultipart(request: FastifyRequest, field: string): never {
  const data = requestData(request) as Record<string, unknown>
  const sent = data?.[field] !== undefined && data[field] !== ''
  throw fieldError(field, sent ? UploadMessages.notAFile : UploadMessages.required)
}

/**
 * The bytes of the file sent in multipart field `field` (DRF's FileField), with Django's messages
 * under that field for a missing, empty or too-large file. The bytes are not checked otherwise.
 * The route's `config.body` names the field as a file (`format: 'binary'`), so its multipart
 * body is left for this to read rather than read as a form.
 */
export async function readUpload(
  request: FastifyRequest,
  field: string,
  limits: UploadLimits,
): Promise<Buffer> {
  if (!request.isMultipart?.()) notMultipart(request, field)
  const countLimit = limits.maxBytes * COUNTED_FACTOR
  let upload: Awaited<ReturnType<typeof readCapped>> | null = null
  let sentAsText = false
  try {
    const parts = request.parts({
      limits: { fileSize: countLimit, files: 4, fields: 50, parts: 60, fieldSize: 64 * 1024 },
    })
    for await (const part of parts) {
      if (part.type !== 'file') {
        sentAsText ||= part.fieldname === field && part.value !== ''
        continue
      }
      // Other files, and a browser's empty file input (no file name), are skipped unread.
      if (upload || part.fieldname !== field || !part.filename) {
        part.file.resume()
        continue
      }
      upload = await readCapped(part.file, limits.maxBytes)
      if (upload.cut) break
    }
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ParseError(`Multipart form parse error - ${(err as Error).message}`)
  }
  if (!upload) {
    throw fieldError(field, sentAsText ? UploadMessages.notAFile : UploadMessages.required)
  }
  if (upload.cut) {
    const error = fieldError(field, UploadMessages.farTooLarge(limits.maxBytes, countLimit))
    // The rest of the body is not parsed, only read and thrown away before the answer (so the
    // client can read it); the connection is closed after it.
    error.headers.connection = 'close'
    throw error
  }
  if (upload.size > limits.maxBytes) {
    throw fieldError(field, UploadMessages.tooLarge(limits.maxBytes, upload.size))
  }
  if (upload.size === 0) throw fieldError(field, UploadMessages.empty)
  return upload.bytes
}
