import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'
import { pythonTypeName } from './python-type-name.ts'

/** A table of the server, by name. */
type TableName = keyof Tables & string

/**
 * Narrow the rows a related key may name to those this request may use (DRF's `get_queryset`
 * on a related field), e.g. `(request, query) => query.where('owner_id', '=', request.user!.id)`.
 */
export type RelatedScope<T extends TableName> = <O>(
  request: FastifyRequest,
  query: SelectQueryBuilder<Tables, T, O>,
) => SelectQueryBuilder<Tables, T, O>

/** Options of a related key (DRF's PrimaryKeyRelatedField). */
export interface RelatedPkOptions<T extends TableName> extends FieldOptions<number> {
  /** The table the key points into. */
  table: T
  /** The rows that may be named. Required: an unscoped key lets a client name anyone's row. */
  scope: RelatedScope<T>
  /** The key column of `table`; `id` by default. */
  column?: string
  /**
   * The column a form's select shows for each row (Django's `__str__`); by default the first of
   * `name`, `title`, `username`, `email` the row has, else the key.
   */
  displayColumn?: string
}

const DISPLAY_COLUMNS = ['name', 'title', 'username', 'email']

function displayOf(row: Record<string, unknown>, key: unknown, column: string | undefined) {
  const shown = column ?? DISPLAY_COLUMNS.find((c) => typeof row[c] === 'string' && row[c] !== '')
  return String(shown !== undefined && row[shown] != null ? row[shown] : key)
}

// What Python's int() takes: optional blanks around an optional sign and digits.
const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/

function toInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return Number(value)
  return null
}

/**
 * The integer key of a row of `table` that must exist within `scope`, checked in SQL during
 * validation (DRF's PrimaryKeyRelatedField): a row outside the scope reads as a missing one.
 */
export function relatedPk<T extends TableName>(options: RelatedPkOptions<T>): Field<number> {
  const key = options.column ?? 'id'
  const column = `${options.table}.${key}`
  const field = makeField<number>('related_pk', Type.Integer(), options, (value) => {
    const id = typeof value === 'boolean' ? null : toInteger(value)
    return id === null
      ? fail(`Incorrect type. Expected pk value, received ${pythonTypeName(value)}.`)
      : ok(id)
  })
  return {
    ...field,
    async resolve(id, { request, db }) {
      // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot name the row type of a generic table
      const all = db.selectFrom(options.table as any) as SelectQueryBuilder<Tables, T, object>
      // Past a safe integer no key can match; bigint keeps PostgreSQL's int4 from a range error.
      const found =
        Number.isSafeInteger(id) &&
        (await options
          .scope(request, all)
          .select(sql.lit(1).as('found'))
          .where(sql.ref(column), '=', sql`cast(${id} as bigint)`)
          .executeTakeFirst()) !== undefined
      // Someone else's row gets a missing one's message, byte for byte: nothing tells them apart.
      return found ? ok(id) : fail(`Invalid pk "${id}" - object does not exist.`)
    },
    // The same scope as `resolve`: a select lists only rows this request could name.
    async relatedChoices({ request, db }, limit) {
      // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot name the row type of a generic table
      const all = db.selectFrom(options.table as any) as SelectQueryBuilder<Tables, T, object>
      const rows = (await options
        .scope(request, all)
        .selectAll(options.table as never)
        .orderBy(sql.ref(column))
        .limit(limit)
        .execute()) as Record<string, unknown>[]
      return rows.map((row) => ({
        value: String(row[key]),
        label: displayOf(row, row[key], options.displayColumn),
      }))
    },
  }
}
