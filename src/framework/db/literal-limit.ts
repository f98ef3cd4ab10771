import { type RawBuilder, sql } from 'kysely'

/**
 * A LIMIT written into the statement's text instead of bound. SQLite (3.51, in better-sqlite3 12)
 * reads a bound LIMIT's value while planning, and so prepares the statement again each time one
 * is bound: a third of what a 20-row page costs. Each size is its own statement, prepared once.
 */
export function literalLimit(rows: number): RawBuilder<number> {
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new RangeError(`literalLimit(): ${rows} is not a number of rows`)
  }
  return sql.lit(rows)
}
