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

type RowOf = (values: unknown[]) => Record<string, unknown>

// better-sqlite3 builds each row object key by key through V8's API; rows read as arrays and
// made into objects by a function of fixed shape cost about a third less on a page of rows.
// The names are JSON string literals, so no column name can change the code. Only for SQL that
// names its columns: SQLite prepares a `*` again after a schema change, with other columns.
function rowFactory(names: string[]): RowOf {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`)
  return new Function('v', `return { ${fields.join(', ')} }`) as RowOf
}

/** A statement as Kysely runs it, and `get` for the first row alone (a read by key). */
export interface CachedStatement extends SqliteStatement {
  get(parameters: readonly unknown[]): unknown
}

function withBindable(sql: string, statement: BetterSqlite3.Statement): CachedStatement {
  const names = statement.reader ? statement.columns().map((c) => c.name) : []
  // A literal `"__proto__": …` would set the prototype rather than a field.
  if (!statement.reader || sql.includes('*') || names.includes('__proto__')) {
    return {
      reader: statement.reader,
      all: (parameters) => statement.all(bound(parameters)),
      get: (parameters) => statement.get(bound(parameters)),
      run: (parameters) => statement.run(bound(parameters)),
      iterate: (parameters) => statement.iterate(bound(parameters)),
    }
  }
  const rowOf = rowFactory(names)
  const rows = statement.raw(true)
  return {
    reader: true,
    all: (parameters) => (rows.all(bound(parameters)) as unknown[][]).map(rowOf),
    get(parameters) {
      const values = rows.get(bound(parameters)) as unknown[] | undefined
      return values === undefined ? undefined : rowOf(values)
    },
    run: (parameters) => rows.run(bound(parameters)),
    *iterate(parameters) {
      for (const values of rows.iterate(bound(parameters))) yield rowOf(values as unknown[])
    },
  }
}

/** The database `cachedSqlite` gives Kysely; `inTransaction` tells whether one is open. */
export interface CachedSqlite extends SqliteDatabase {
  readonly inTransaction: boolean
  prepare(sql: string): CachedStatement
  /**
   * `work` between BEGIN and COMMIT (ROLLBACK if it throws), at once: only for work that is
   * synchronous and while no other transaction is open (`inTransaction`), since Kysely's share
   * the connection.
   */
  inOwnTransaction<T>(work: () => T): T
}

/**
 * A better-sqlite3 database for Kysely that prepares each SQL text once: Kysely's own driver
 * calls prepare() on every query, which costs about three times the query itself (STACK.md).
 */
export function cachedSqlite(db: BetterSqlite3.Database): CachedSqlite {
  const statements = new Map<string, CachedStatement>()
  // better-sqlite3's own BEGIN … COMMIT (ROLLBACK on a throw), made once: it passes `work` through.
  const transaction = db.transaction((work: () => unknown) => work())
  return {
    inOwnTransaction<T>(work: () => T): T {
      // Inside another, better-sqlite3 would make it a savepoint of Kysely's open transaction.
      if (db.inTransaction) throw new Error('inOwnTransaction: a transaction is already open')
      return transaction(work) as T
    },
    get inTransaction() {
      return db.inTransaction
    },
    close: () => db.close(),
    prepare(sql: string) {
      let statement = statements.get(sql)
      if (statement === undefined) {
        // Bounded, so ad-hoc SQL (search terms are parameters, but IN-lists vary) cannot grow it.
        if (statements.size >= MAX_STATEMENTS) statements.clear()
        statement = withBindable(sql, db.prepare(sql))
        statements.set(sql, statement)
      }
      return statement
    },
  }
}
