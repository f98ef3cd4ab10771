import type { FastifyRequest } from 'fastify'
import { isPostgres } from '../db/dialect.ts'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'

const INVALID = 'Value must be valid JSON.'

/**
 * Any JSON value (DRF's JSONField): a JSON body's value as it is; a form's text parsed as JSON.
 * Stored as its JSON text (a `columnTypes(db).json` column: jsonb, or text in SQLite).
 */
export function json(options: FieldOptions<unknown> = {}): Field<unknown> {
  // An empty schema: the serializer writes the value with JSON.stringify, whatever it is.
  const field = makeField<unknown>('json', {} as Field['jsonSchema'], options, (value) => ok(value))
  return {
    ...field,
    parseForm(value) {
      if (typeof value !== 'string') return fail(INVALID)
      try {
        return field.parse(JSON.parse(value))
      } catch {
        return fail(INVALID)
      }
    },
    // pg would write an array as a PostgreSQL array and a string as bare text: JSON text is neither.
    store: (value) => JSON.stringify(value),
    // PostgreSQL's jsonb comes back parsed; SQLite's text does not.
    represent: (stored: unknown, request: FastifyRequest) =>
      typeof stored === 'string' && !isPostgres(request.server.db) ? JSON.parse(stored) : stored,
  }
}
