import { isExpression } from 'kysely'
import type { Database } from '../db/database.ts'
import { type Prepared, prepared } from '../db/prepared.ts'
import type { Tables } from '../db/tables.ts'
import type { SavedRow } from './viewset.ts'

// Column sets come from code (the schema's fields, a hook's values): few, but bounded all the same.
const MAX_STATEMENTS = 64

/**
 * A table's INSERT … RETURNING *, compiled once per set of columns. `null` for a row with a
 * value that is SQL (a Kysely expression, or a function making one): that one is built each time.
 */
export function insertStatements(table: keyof Tables & string) {
  const statements = new Map<string, Prepared<Tables, unknown[], SavedRow>>()
  return {
    for(row: Record<string, unknown>): Prepared<Tables, unknown[], SavedRow> | null {
      const columns = Object.keys(row)
      if (columns.some((c) => isExpression(row[c]) || typeof row[c] === 'function')) return null
      const key = columns.join('\u0000')
      let found = statements.get(key)
      if (found === undefined) {
        if (statements.size >= MAX_STATEMENTS) statements.clear()
        found = prepared(columns.length, (db: Database, ...args: unknown[]) =>
          db
            .insertInto(table)
            .values(Object.fromEntries(columns.map((column, i) => [column, args[i]])) as never)
            .returningAll(),
        )
        statements.set(key, found)
      }
      return found
    },

    /** Insert `row` in `trx` and answer the stored row. */
    async insert(trx: Database, row: Record<string, unknown>): Promise<SavedRow> {
      const statement = this.for(row)
      const saved = statement
        ? await statement.first(trx, ...Object.values(row))
        : await trx
            .insertInto(table)
            .values(row as never)
            .returningAll()
            .executeTakeFirst()
      if (saved === undefined) throw new Error(`${table}: the insert returned no row`)
      return saved as SavedRow
    },
  }
}
