import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedSqlite } from '../../../src/framework/db/cached-sqlite.ts'

let raw: BetterSqlite3.Database
let db: Kysely<Record<string, Record<string, unknown>>>

beforeEach(() => {
  raw = new BetterSqlite3(':memory:')
  raw.exec(`create table t (id integer primary key, name text, flag integer, at text);
    insert into t (name, flag, at) values ('a', 1, '2026-01-01'), ('b', 0, null), ('it''s', 1, '');`)
  db = new Kysely({ dialect: new SqliteDialect({ database: cachedSqlite(raw) }) })
})

afterEach(async () => {
  await db.destroy()
})

// What better-sqlite3 itself answers is the reference.
const reference = (text: string, ...params: unknown[]) => raw.prepare(text).all(...params)

describe('cachedSqlite', () => {
  const queries: [string, unknown[]][] = [
    ['select id, name, flag, at from t order by id', []],
    ['select name as "n", id as "x y", at as "a""b" from t where flag = ?', [1]],
    ['select id as v, name as v from t order by id', []],
    ['select name as "__proto__", id from t order by id', []],
    ['select name as "constructor", id as "toString" from t order by id', []],
    ['select * from t where id > ?', [1]],
    ['select count(*) as c from t', []],
  ]

  it.each(queries)('reads %s as better-sqlite3 does', async (text, params) => {
    const { rows } = await db.executeQuery(CompiledQuery.raw(text, params))
    expect(rows).toEqual(reference(text, ...params))
    // Twice: the second run reads through the cached statement.
    const again = await db.executeQuery(CompiledQuery.raw(text, params))
    expect(again.rows).toEqual(reference(text, ...params))
    expect(Object.getPrototypeOf(again.rows[0])).toBe(Object.prototype)
  })

  it('binds booleans and dates as SQLite values', async () => {
    const when = new Date('2026-01-01T00:00:00.000Z')
    const rows = await db
      .selectFrom('t')
      .select(['id'])
      .where('flag', '=', true)
      .where('at', '!=', when)
      .execute()
    expect(rows.map((r) => r.id)).toEqual([1, 3])
  })

  it('reads the columns a `*` names after the table changes', async () => {
    const all = () => db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirst()
    expect(await all()).toEqual({ id: 1, name: 'a', flag: 1, at: '2026-01-01' })
    raw.exec('alter table t drop column flag; alter table t add column extra text')
    expect(await all()).toEqual({ id: 1, name: 'a', at: '2026-01-01', extra: null })
  })

  it('writes, returning rows', async () => {
    const inserted = await db
      .insertInto('t')
      .values({ name: 'c', flag: false })
      .returning(['id', 'name'])
      .execute()
    expect(inserted).toEqual([{ id: 4, name: 'c' }])
    const { numUpdatedRows } = await db
      .updateTable('t')
      .set({ name: 'd' })
      .where('id', '=', 4)
      .executeTakeFirstOrThrow()
    expect(numUpdatedRows).toBe(1n)
  })
})
