import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedSqlite } from '../../../src/framework/db/cached-sqlite.ts'
import { literalLimit } from '../../../src/framework/db/literal-limit.ts'

let db: Kysely<{ t: { id: number } }>

beforeEach(() => {
  const raw = new BetterSqlite3(':memory:')
  raw.exec('create table t (id integer primary key); insert into t (id) values (1), (2), (3);')
  db = new Kysely({ dialect: new SqliteDialect({ database: cachedSqlite(raw) }) })
})

afterEach(async () => {
  await db.destroy()
})

describe('literalLimit', () => {
  it('writes the row count into the SQL and binds only the offset', async () => {
    const query = db.selectFrom('t').select('id').orderBy('id').limit(literalLimit(2)).offset(1)
    const compiled = query.compile()
    expect(compiled.sql).toMatch(/ limit 2 offset \?$/)
    expect(compiled.parameters).toEqual([1])
    expect(await query.execute()).toEqual([{ id: 2 }, { id: 3 }])
  })

  it('takes zero', async () => {
    expect(await db.selectFrom('t').select('id').limit(literalLimit(0)).execute()).toEqual([])
  })

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses %s: nothing but a whole number of rows reaches the SQL text',
    (rows) => {
      expect(() => literalLimit(rows)).toThrow(RangeError)
    },
  )
})
