import { type Compilable, CompiledQuery, type Kysely } from 'kysely'
import type { MaybePromise } from '../maybe-promise.ts'
import { sqliteHandle } from './sqlite-handle.ts'

// Stands for the i-th argument while the query is built, so its place among the compiled
// parameters can be found again whatever order the builder put them in.
class Slot {
  constructor(readonly index: number) {}
}

// A value the query holds itself, kept apart from argument indexes (numbers too).
class Constant {
  constructor(readonly value: unknown) {}
}

interface Compiled {
  sql: string
  /** For each compiled parameter: the index of the argument it takes, or a constant. */
  parameters: (number | Constant)[]
}

/**
 * A query with its arguments left open, built and compiled once per database. On SQLite outside a
 * transaction the rows come back at once, not as a promise: `await` takes either.
 */
export interface Prepared<D, A extends unknown[], O> {
  /** Every row of the query for these arguments. */
  all(db: Kysely<D>, ...args: A): MaybePromise<O[]>
  /** The first row, or undefined. */
  first(db: Kysely<D>, ...args: A): MaybePromise<O | undefined>
  /**
   * The first row, now, from `sqlite` (the handle under `db`), in a transaction the caller runs on
   * the handle itself (`inOwnTransaction`).
   */
  firstOn(sqlite: StatementCache, db: Kysely<D>, ...args: A): O | undefined
}

/**
 * What `firstOn` runs on: a SQLite handle's statements (`CachedSqlite`, named by shape so the
 * package's types do not reach better-sqlite3's, a dev dependency).
 */
export interface StatementCache {
  prepare(sql: string): { get(parameters: readonly unknown[]): unknown }
}

/**
 * A query whose SQL is built once per database and then run with new arguments: Kysely builds
 * and compiles each query anew, which costs more than SQLite takes to find a row by its key.
 * `build` must put each argument into the query as a value, unchanged (not inside a list).
 */
export function prepared<D, A extends unknown[], O>(
  arity: A['length'],
  build: (db: Kysely<D>, ...args: A) => Compilable<O>,
): Prepared<D, A, O> {
  const byDatabase = new WeakMap<object, Compiled>()

  // A database and its transactions share the dialect's adapter and compile alike, so a statement
  // run in a transaction is compiled once too; plugins may change the SQL, so a database with
  // plugins keeps its own.
  function cacheKey(db: Kysely<D>): object {
    const executor = db.getExecutor()
    return executor.plugins.length === 0 ? executor.adapter : db
  }

  function compile(db: Kysely<D>): Compiled {
    const key = cacheKey(db)
    let compiled = byDatabase.get(key)
    if (compiled === undefined) {
      const slots = Array.from({ length: arity }, (_, i) => new Slot(i)) as unknown as A
      const query = build(db, ...slots).compile()
      const taken = new Set<number>()
      const parameters = query.parameters.map((p) => {
        if (!(p instanceof Slot)) return new Constant(p)
        taken.add(p.index)
        return p.index
      })
      // A slot that did not reach the parameters was transformed on the way: refuse loudly.
      if (taken.size !== arity) throw new Error(`prepared(): ${query.sql} lost an argument`)
      compiled = { sql: query.sql, parameters }
      byDatabase.set(key, compiled)
    }
    return compiled
  }

  function values(compiled: Compiled, args: A): unknown[] {
    return compiled.parameters.map((p) => (p instanceof Constant ? p.value : args[p]))
  }

  // SQLite answers at once: Kysely's executor only adds turns of the event loop. Not while a
  // transaction is open on the connection: the read would see its uncommitted rows, so it waits
  // its turn through Kysely like any query.
  function direct(db: Kysely<D>) {
    const sqlite = sqliteHandle(db)
    return sqlite !== undefined && !sqlite.inTransaction ? sqlite : undefined
  }

  async function viaKysely(db: Kysely<D>, compiled: Compiled, args: A): Promise<O[]> {
    const result = await db.executeQuery<O>(CompiledQuery.raw(compiled.sql, values(compiled, args)))
    return result.rows
  }

  return {
    all(db, ...args) {
      const compiled = compile(db)
      const sqlite = direct(db)
      if (sqlite) return sqlite.prepare(compiled.sql).all(values(compiled, args)) as O[]
      return viaKysely(db, compiled, args)
    },
    firstOn(sqlite, db, ...args) {
      const compiled = compile(db)
      return sqlite.prepare(compiled.sql).get(values(compiled, args)) as O | undefined
    },
    first(db, ...args) {
      const compiled = compile(db)
      const sqlite = direct(db)
      if (sqlite) return sqlite.prepare(compiled.sql).get(values(compiled, args)) as O | undefined
      return viaKysely(db, compiled, args).then((rows) => rows[0])
    },
  }
}
