import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'
import { pythonTypeName } from './python-type-name.ts'
import {
  doesNotExist,
  keyOf,
  type PkType,
  type PkValue,
  parsePk,
  type RelatedScope,
  type TableName,
  visibleKeys,
} from './related-key.ts'
import { pkSchema, relatedChoices, relationOf } from './related-pk.ts'

/** The table that joins a row to its related rows: one row per pair. */
export interface Through {
  table: TableName
  /** Its column holding this resource's key (`note_id`). */
  from: string
  /** Its column holding the related row's key (`user_id`). */
  to: string
}

/** Options of a writable many-to-many (DRF's PrimaryKeyRelatedField(many=True)). */
export interface ManyRelatedOptions<T extends TableName, K extends PkType = 'integer'>
  extends FieldOptions<PkValue<K>[]> {
  /** The table the keys point into. */
  table: T
  through: Through
  /** The rows that may be named. Required: an unscoped key lets a client name anyone's row. */
  scope: RelatedScope<T>
  /** The key column of `table`; `id` by default. */
  column?: string
  /** The keys' type: `integer` (the default) or `uuid`. */
  pkType?: K
  /** The column a form's select shows for each row; as `relatedPk`'s `displayColumn`. */
  displayColumn?: string
  /** Whether `[]` is taken (DRF's allow_empty); true by default. */
  allowEmpty?: boolean
}

/**
 * A list of keys of rows of `table` (DRF's ManyRelatedField): each checked as `relatedPk` checks
 * one, in one query for the list, duplicates collapsed; written to the through table in the
 * request's transaction after the row is saved (replacing the pairs on update, when sent), and
 * read back for a whole page in one query.
 */
export function manyRelated<T extends TableName, K extends PkType = 'integer'>(
  options: ManyRelatedOptions<T, K>,
): Field<PkValue<K>[]> {
  const relation = {
    ...relationOf(options as Parameters<typeof relationOf>[0], true),
    through: options.through,
  }
  const pkType = relation.pkType as K
  const { through } = options
  const schema = Type.Array(pkSchema(pkType))
  // `parse` checks the list and each key's type and keeps the keys as sent, for DRF's message to
  // quote them; `resolve` converts them, collapses duplicates, and checks them in one query.
  const field = makeField<PkValue<K>[]>('related_pk_list', schema, options, (value) => {
    if (!Array.isArray(value)) {
      return fail(`Expected a list of items but got type "${pythonTypeName(value)}".`)
    }
    if (value.length === 0 && options.allowEmpty === false)
      return fail('This list may not be empty.')
    // DRF converts the items in order and stops at the first it refuses; null names no row.
    for (const item of value) {
      const parsed = item === null ? ok(null) : parsePk(item, pkType)
      if (!parsed.ok) return parsed
    }
    return ok(value as PkValue<K>[])
  })
  return {
    ...field,
    relation,
    // The form's multi-select: the rows this request could name, as `resolve` checks them.
    relatedChoices: relatedChoices(options as Parameters<typeof relatedChoices>[0]),
    async resolve(sent, context) {
      const key = (item: unknown) => (item === null ? null : keyOf(item, pkType))
      const pks = [...new Set(sent.map(key).filter((pk) => pk !== null))]
      const found = await visibleKeys(relation, pks, context)
      const missing = sent.findIndex((item) => {
        const pk = key(item)
        return pk === null || !found.has(pk)
      })
      // Someone else's row gets a missing one's message, byte for byte: nothing tells them apart.
      return missing === -1 ? ok(pks) : fail(doesNotExist(sent[missing] ?? 'None'))
    },
    async write(trx, id, pks) {
      await trx.deleteFrom(through.table).where(sql.ref(through.from), '=', id).execute()
      if (pks.length === 0) return
      const pairs = pks.map((pk) => ({ [through.from]: id, [through.to]: pk }))
      await trx
        .insertInto(through.table)
        .values(pairs as never)
        .execute()
    },
    async load(rows, name, { db, pk }) {
      const byKey = new Map<string, PkValue<K>[]>()
      for (const row of rows) {
        const keys: PkValue<K>[] = []
        row[name] = keys
        byKey.set(String(row[pk]), keys)
      }
      if (rows.length === 0) return
      const pairs = await db
        .selectFrom(sql.table(through.table).as('t'))
        .select([sql.ref(`t.${through.from}`).as('from'), sql.ref(`t.${through.to}`).as('to')])
        .where(
          sql.ref(`t.${through.from}`),
          'in',
          rows.map((row) => row[pk]),
        )
        .orderBy(sql.ref(`t.${through.to}`))
        .execute()
      for (const pair of pairs as { from: unknown; to: unknown }[]) {
        // PostgreSQL answers a bigint as text: the API shows the key as its type says.
        const to = (pkType === 'integer' ? Number(pair.to) : String(pair.to)) as PkValue<K>
        byKey.get(String(pair.from))?.push(to)
      }
    },
  }
}
