import { takesFiles } from '../schema/takes-files.ts'
import type { JsonSchema } from './json-schema.ts'

/**
 * The request body object: JSON, form and multipart posts for ordinary bodies (the server parses
 * all three, as DRF's default parsers), a multipart form alone for one that carries a file
 * (nothing else can carry it).
 */
export function requestBody(body: JsonSchema): Record<string, unknown> {
  const required = Array.isArray(body.required) && body.required.length > 0
  const content = takesFiles(body)
    ? { 'multipart/form-data': { schema: body } }
    : {
        'application/json': { schema: body },
        'application/x-www-form-urlencoded': { schema: body },
        'multipart/form-data': { schema: body },
      }
  return { required, content }
}
