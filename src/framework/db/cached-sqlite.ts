import type BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

const MAX_STATEMENTS = 1000

// better-sqlite3 binds only numbers, strings, bigints, buffers and null.
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value
}

function withBindable(statement: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => statement.all(...parameters.map(bindable)),
    run: (parameters) => statement.run(...parameters.map(bindable)),
    iterate: (parameters) => statement.iterate(...parameters.map(bindable)),
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
