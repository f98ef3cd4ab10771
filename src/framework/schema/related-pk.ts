import { Type } from '@sinclair/typebox'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import {
  type Field,
  type FieldOptions,
  fail,
  makeField,
  ok,
  type RelatedChoice,
  type ValidationContext,
} from './field.ts'
import {
  doesNotExist,
  keyOf,
  type PkType,
  type PkValue,
  parsePk,
  type RelatedScope,
  type Relation,
  type TableName,
  visibleKeys,
} from './related-key.ts'

/** Options of a related key (DRF's PrimaryKeyRelatedField). */
export interface RelatedPkOptions<T extends TableName, K extends PkType = 'integer'>
  extends FieldOptions<PkValue<K>> {
  /** The table the key points into. */
  table: T
  /** The rows that may be named. Required: an unscoped key lets a client name anyone's row. */
  scope: RelatedScope<T>
  /** The key column of `table`; `id` by default. */
  column?: string
  /** The key's type: `integer` (the default) or `uuid`. */
  pkType?: K
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

/**
 * The rows a related field's form select offers, within the field's own scope (the rows a
 * request could name), ordered by key: at most `limit`.
 */
export function relatedChoices(options: {
  table: TableName
  column?: string
  displayColumn?: string
  scope: RelatedScope<never>
}) {
  const key = options.column ?? 'id'
  return async ({ request, db }: ValidationContext, limit: number): Promise<RelatedChoice[]> => {
    // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot name the row type of a generic table
    const all = db.selectFrom(options.table as any) as SelectQueryBuilder<Tables, never, object>
    const rows = (await options
      .scope(request, all)
      .selectAll(options.table as never)
      .orderBy(sql.ref(`${options.table}.${key}`))
      .limit(limit)
      .execute()) as Record<string, unknown>[]
    return rows.map((row) => ({
      value: String(row[key]),
      label: displayOf(row, row[key], options.displayColumn),
    }))
  }
}

/** The JSON Schema of one key of a type. */
export const pkSchema = (pkType: PkType) =>
  pkType === 'uuid' ? Type.String({ format: 'uuid' }) : Type.Integer()

/** The relation a related field's options describe. */
export function relationOf(
  options: { table: TableName; column?: string; pkType?: PkType; scope: RelatedScope<never> },
  many: boolean,
): Relation {
  return {
    table: options.table,
    column: `${options.table}.${options.column ?? 'id'}`,
    pkType: options.pkType ?? 'integer',
    many,
    scope: options.scope as Relation['scope'],
  }
}

/**
 * The key of a row of `table` that must exist within `scope`, checked in SQL during validation
 * (DRF's PrimaryKeyRelatedField): a row outside the scope reads as a missing one.
 */
export function relatedPk<T extends TableName, K extends PkType = 'integer'>(
  options: RelatedPkOptions<T, K>,
): Field<PkValue<K>> {
  const relation = relationOf(options as Parameters<typeof relationOf>[0], false)
  const kind = relation.pkType === 'uuid' ? 'related_uuid' : 'related_pk'
  // `parse` checks the type and keeps the value as sent, for DRF's message to quote it ("7",
  // not the UUID it names); `resolve` converts it once the row is found.
  const field = makeField<PkValue<K>>(kind, pkSchema(relation.pkType), options, (value) => {
    const parsed = parsePk(value, relation.pkType)
    return parsed.ok ? ok(value as PkValue<K>) : parsed
  })
  return {
    ...field,
    relation,
    async resolve(sent, context) {
      const pk = keyOf(sent, relation.pkType as K)
      const found = await visibleKeys(relation, [pk], context)
      // Someone else's row gets a missing one's message, byte for byte: nothing tells them apart.
      return found.has(pk) ? ok(pk) : fail(doesNotExist(sent))
    },
    // The same scope as `resolve`: a select lists only rows this request could name.
    relatedChoices: relatedChoices(options as Parameters<typeof relatedChoices>[0]),
  }
}
