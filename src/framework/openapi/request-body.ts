import type { JsonSchema } from './json-schema.ts'

// A file part is a string whose content is named (OpenAPI 3.1's way to say "binary").
function isFile(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false
  const s = schema as JsonSchema
  return (
    s.contentMediaType !== undefined || s.format === 'binary' || s.contentEncoding !== undefined
  )
}

/** Whether a body schema carries a file in one of its top-level properties. */
export function takesFiles(body: JsonSchema): boolean {
  const properties = (body.properties ?? {}) as Record<string, unknown>
  return Object.values(properties).some(isFile)
}

/**
 * The request body object: JSON and form posts for ordinary bodies (the server parses both), a
 * multipart form for one that carries a file (nothing else can carry it).
 */
export function requestBody(body: JsonSchema): Record<string, unknown> {
  const required = Array.isArray(body.required) && body.required.length > 0
  const content = takesFiles(body)
    ? { 'multipart/form-data': { schema: body } }
    : {
        'application/json': { schema: body },
        'application/x-www-form-urlencoded': { schema: body },
      }
  return { required, content }
}
