/** A JSON Schema as plain data. */
type Schema = Record<string, unknown>

// A file part is a string whose content is named (OpenAPI 3.1's way to say "binary").
function isFile(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false
  const s = schema as Schema
  return (
    s.contentMediaType !== undefined || s.format === 'binary' || s.contentEncoding !== undefined
  )
}

/**
 * Whether a body schema carries a file in one of its top-level properties: such a route reads
 * its multipart body itself (readUpload); every other route has it read as a form.
 */
export function takesFiles(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  const properties = ((body as Schema).properties ?? {}) as Record<string, unknown>
  return Object.values(properties).some(isFile)
}
