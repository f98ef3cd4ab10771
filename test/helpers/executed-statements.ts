import BetterSqlite3 from 'better-sqlite3'
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { cachedSqlite } from '../../src/framework/db/cached-sqlite.ts'
import { isPostgresUrl } from '../../src/framework/db/database.ts'
import { pgTypes } from '../../src/framework/db/pg-types.ts'
import type { Tables } from '../../src/framework/index.ts'

/**
 * Every statement a server runs, each time it runs it: a second connection to the test database
 * whose Kysely log sees every execution, the statements compiled once included (a plugin sees
 * those only when they are compiled). Give `open(url)` to the server as its database.
 */
export class ExecutedStatements {
  readonly sql: string[] = []
  private db?: Kysely<Tables>

  open(url: string): Kysely<Tables> {
    const log = (event: LogEvent) => {
      if (event.level === 'query') this.sql.push(event.query.sql.replace(/\s+/g, ' '))
    }
    if (isPostgresUrl(url)) {
      const pool = new pg.Pool({ connectionString: url, types: pgTypes(pg.types) })
      this.db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), log })
    } else {
      const sqlite = new BetterSqlite3(url)
      sqlite.pragma('foreign_keys = ON')
      sqlite.pragma('busy_timeout = 5000')
      this.db = new Kysely<Tables>({
        dialect: new SqliteDialect({ database: cachedSqlite(sqlite) }),
        log,
      })
    }
    return this.db
  }

  /** Forget what ran so far. */
  clear(): void {
    this.sql.length = 0
  }

  async close(): Promise<void> {
    await this.db?.destroy()
  }
}
