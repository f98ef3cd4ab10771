import { randomBytes } from 'node:crypto'

/** How a test client encodes a request's data (DRF's `format`): JSON unless told otherwise. */
export type BodyFormat = 'json' | 'form' | 'multipart'

/** A file for a multipart body. */
export interface TestFile {
  filename: string
  content: Buffer | string
  /** `application/octet-stream` unless given. */
  contentType?: string
}

/** A form field's value; a list sends the field once per item, null and undefined not at all. */
export type FieldValue = string | number | boolean | TestFile
/** The data of a form or multipart body. */
export type FormData = Record<string, FieldValue | readonly FieldValue[] | null | undefined>

/** A body ready to send: its bytes and content type. */
export interface EncodedBody {
  payload: string | Buffer
  contentType: string
}

/** Encode a request's data in a format (DRF's APIRequestFactory._encode_data). */
export function encodeBody(data: unknown, format: BodyFormat): EncodedBody {
  if (format === 'json') {
    return { payload: JSON.stringify(data), contentType: 'application/json' }
  }
  const fields = formFields(data, format)
  if (format === 'form') {
    const params = new URLSearchParams()
    for (const [name, value] of fields) {
      if (isFile(value)) throw new TypeError(`${name}: a file needs format 'multipart'`)
      params.append(name, String(value))
    }
    return { payload: params.toString(), contentType: 'application/x-www-form-urlencoded' }
  }
  return multipart(fields)
}

/** Data for a query string (a GET's data, as DRF's factory puts it): name → value(s). */
export function queryOf(data: unknown): Record<string, string[]> {
  const query: Record<string, string[]> = {}
  for (const [name, value] of formFields(data, 'query')) {
    if (isFile(value)) throw new TypeError(`${name}: a file cannot go in a query string`)
    query[name] = [...(query[name] ?? []), String(value)]
  }
  return query
}

function formFields(data: unknown, format: string): [string, FieldValue][] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`${format} data must be an object of fields`)
  }
  const fields: [string, FieldValue][] = []
  for (const [name, value] of Object.entries(data as FormData)) {
    if (value === null || value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) fields.push([name, item])
  }
  return fields
}

function isFile(value: FieldValue): value is TestFile {
  return typeof value === 'object'
}

function multipart(fields: [string, FieldValue][]): EncodedBody {
  const boundary = `----portcullis-testing-${randomBytes(12).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of fields) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"`
    if (isFile(value)) {
      head += `; filename="${quote(value.filename)}"\r\n`
      head += `Content-Type: ${value.contentType ?? 'application/octet-stream'}`
    }
    parts.push(Buffer.from(`${head}\r\n\r\n`))
    parts.push(isFile(value) ? Buffer.from(value.content) : Buffer.from(String(value)))
    parts.push(Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

// A name inside a quoted header parameter: quotes and line breaks escaped as browsers do.
function quote(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
