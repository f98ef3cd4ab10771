import { sql } from 'kysely'
import { type Field, type FieldOptions, fail, makeField } from './field.ts'
import type { TableName } from './related-key.ts'
import type { FieldMap, Output, ResourceSchema } from './resource-schema.ts'

/** Options of a read-only nested object (DRF's nested serializer with read_only=True). */
export interface NestedOptions
  extends Pick<FieldOptions<unknown>, 'nullable' | 'label' | 'description'> {
  /** The table the related row is read from. */
  table: TableName
  /** The column of this resource's row holding the related row's key (`owner_id`). */
  from: string
  /** The key column of `table`; `id` by default. */
  column?: string
}

/**
 * The row another table holds for a key of this one, shown as `schema` shows it (DRF's nested
 * serializer, read-only): e.g. `owner: f.nested(UserSummary, { table: 'users', from: 'owner_id' })`.
 * A page of rows reads its related rows in one query; a key with no row shows null.
 */
export function nested<F extends FieldMap>(
  schema: ResourceSchema<F>,
  options: NestedOptions,
): Field<Output<F> | null> {
  const key = options.column ?? 'id'
  const columns = Object.keys(schema.fields).filter((k) => !schema.fields[k].options.writeOnly)
  const field = makeField<Output<F> | null>(
    'nested',
    schema.output,
    { ...options, readOnly: true },
    () => fail('This field is read-only.'),
  )
  return {
    ...field,
    async load(rows, name, { db }) {
      const keys = [...new Set(rows.map((row) => row[options.from]).filter((k) => k != null))]
      const related = keys.length
        ? await db
            .selectFrom(sql.table(options.table).as('t'))
            .select([
              sql.ref(`t.${key}`).as('__key'),
              ...columns.map((column) => sql.ref(`t.${column}`).as(column)),
            ])
            .where(sql.ref(`t.${key}`), 'in', keys)
            .execute()
        : []
      const byKey = new Map<string, Record<string, unknown>>()
      for (const { __key, ...shown } of related as Record<string, unknown>[]) {
        byKey.set(String(__key), shown)
      }
      for (const row of rows) row[name] = byKey.get(String(row[options.from])) ?? null
    },
  }
}
