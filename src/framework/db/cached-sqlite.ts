import type BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

const MAX_STATEMENTS = 1000

// better-sqlite3 binds only numbers, strings, bigints, buffers and null.
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value
}

// Copies the parameters only when one needs converting: most queries bind strings and numbers.
function bound(parameters: readonly unknown[]): unknown[] {
  for (const value of parameters) {
    if (typeof value === 'boolean' || value instanceof Date) return parameters.map(bindable)
  }
  return parameters as unknown[]
}

function withBindable(statement: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => statement.all(bound(parameters)),
    run: (parameters) => statement.run(bound(parameters)),
    iterate: (parameters) => statement.iterate(bound(parameters)),
  }
}

/**
 * A better-sqlite3 database for Kysely that prepares each SQL text once: Kysely's own driver
 * calls prepare() on every query, which costs about three times the query itself (STACK.md).
 */
export function cachedSqlite(db: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>()
  return {
    close: () => db.close(),
    prepare(sql) {
      let statement = statements.get(sql)
      if (statement === undefined) {
        // Bounded, so ad-hoc SQL (search terms are parameters, but IN-lists vary) cannot grow it.
        if (statements.size >= MAX_STATEMENTS) statements.clear()
        statement = withBindable(db.prepare(sql))
        statements.set(sql, statement)
      }
      return statement
    },
  }
}
