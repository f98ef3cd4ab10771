/**
 * `npx tsx bench/queries.ts [--pg URL]`: the SQL each scenario's request runs on Portcullis, read
 * off a query log: how many statements a request costs, and the texts the baseline copies. A
 * cursor-paginated scenario must run no COUNT statement: the run fails (exit 1) if it does.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { cachedSqlite } from '../src/framework/db/cached-sqlite.ts'
import { pgTypes } from '../src/framework/db/pg-types.ts'
import type { Tables } from '../src/framework/index.ts'
import { createServer } from '../src/server.ts'
import { serverSettingsFromEnv } from '../src/settings-from-env.ts'
import { mintJwt, sessionLogin } from './credentials.ts'
import { createCursorApp } from './cursor-app.mjs'
import { createBenchDatabase } from './pg.ts'
import { SCENARIOS, type Target } from './scenarios.ts'
import { seed } from './seed.ts'

const { values } = parseArgs({ options: { pg: { type: 'string' } } })
const dir = mkdtempSync(join(tmpdir(), 'portcullis-queries-'))
const benchDb = values.pg ? await createBenchDatabase(values.pg) : null
const url = benchDb?.url ?? join(dir, 'bench.sqlite3')
try {
  const seeded = await seed(url)
  const log: string[] = []
  const onLog = (event: LogEvent) => {
    if (event.level === 'query') log.push(event.query.sql.replace(/\s+/g, ' '))
  }
  const dialect = benchDb
    ? new PostgresDialect({
        pool: new pg.Pool({ connectionString: url, types: pgTypes(pg.types) }),
      })
    : new SqliteDialect({ database: cachedSqlite(new BetterSqlite3(url)) })
  const db = new Kysely<Tables>({ dialect, log: onLog })
  const app = await createServer({ settings: serverSettingsFromEnv(), db, logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const cursorApp = await createCursorApp(db, serverSettingsFromEnv().secretKey)
  await cursorApp.listen({ host: '127.0.0.1', port: 0 })
  const cursorOrigin = `http://127.0.0.1:${(cursorApp.server.address() as AddressInfo).port}`
  const target: Target = { server: 'portcullis', origin, facts: { ...seeded } }
  target.facts.jwt = await mintJwt(origin, seeded.username, seeded.password)
  target.facts.session = await sessionLogin(origin, seeded.writer.email, seeded.writer.password)
  for (const scenario of SCENARIOS) {
    const spec = scenario.request(target)
    // Twice: the first may do once-a-minute bookkeeping (a token's last use) the others skip.
    for (let i = 0; i < 2; i++) {
      log.length = 0
      const at = scenario.cursorServer ? cursorOrigin : origin
      const response = await fetch(at + spec.path, {
        method: spec.method,
        headers: spec.headers,
        body: spec.body?.replaceAll('[<id>]', `${Date.now()}-${i}`),
      })
      await response.text()
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (i === 0) continue
      console.log(
        `\n## ${scenario.id}: ${spec.method} ${spec.path} → ${response.status}, ${log.length} statements`,
      )
      for (const sql of log) console.log(`- ${sql}`)
      if (scenario.cursorServer) {
        const counts = log.filter((sql) => /\bcount\s*\(/i.test(sql)).length
        console.log(
          `- cursor page: ${counts} COUNT statement(s), ${counts ? 'NOT ' : ''}as promised`,
        )
        if (counts) process.exitCode = 1
      }
    }
  }
  await cursorApp.close()
  await app.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
  await benchDb?.drop()
}
