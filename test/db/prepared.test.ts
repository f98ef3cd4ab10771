import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/framework/db/database.ts'
import { prepared } from '../../src/framework/db/prepared.ts'
import { isPostgresUrl, migrate, openDatabase } from '../../src/framework/index.ts'
import { allMigrations } from '../../src/server.ts'
import { testDatabase } from '../helpers/test-app.ts'

let db: Database
let url: string
let drop: () => Promise<void>

beforeAll(async () => {
  ;({ db, url, drop } = await testDatabase())
  await migrate(db, allMigrations)
  const now = new Date().toISOString()
  await db
    .insertInto('users')
    .values(
      ['ann', 'bob', 'cy'].map((username, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        username,
        email: `${username}@example.com`,
        name: '',
        password: '!',
        is_active: i !== 2,
        is_staff: false,
        is_superuser: false,
        date_joined: now,
      })),
    )
    .execute()
})

afterAll(async () => {
  await db.destroy()
  await drop()
})

describe('prepared()', () => {
  // Arguments in another order than the builder binds them, and a constant between them.
  const active = prepared(2, (db: Database, prefix: string, limit: number) =>
    db
      .selectFrom('users')
      .select(['username'])
      .where('is_active', '=', true)
      .where('username', 'like', prefix)
      .orderBy('username')
      .limit(limit),
  )

  it('returns what the same query built each time returns, for each set of arguments', async () => {
    for (const [prefix, limit] of [
      ['%', 5],
      ['b%', 5],
      ['%', 1],
      ['zz%', 5],
    ] as const) {
      const built = await db
        .selectFrom('users')
        .select(['username'])
        .where('is_active', '=', true)
        .where('username', 'like', prefix)
        .orderBy('username')
        .limit(limit)
        .execute()
      expect(await active.all(db, prefix, limit)).toEqual(built)
    }
    expect(await active.all(db, '%', 5)).toEqual([{ username: 'ann' }, { username: 'bob' }])
  })

  it('first() is the first row or undefined', async () => {
    expect(await active.first(db, 'b%', 5)).toEqual({ username: 'bob' })
    expect(await active.first(db, 'nobody', 5)).toBeUndefined()
  })

  const byName = prepared(1, (db: Database, username: string) =>
    db.selectFrom('users').select(['id']).where('username', '=', username),
  )

  it('runs inside a transaction, seeing its uncommitted rows', async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ username: 'dee' })
          .where('username', '=', 'cy')
          .execute()
        expect(await byName.first(trx, 'dee')).toBeDefined()
        throw new Error('roll back')
      })
      .catch(() => {})
    expect(await byName.first(db, 'dee')).toBeUndefined()
  })

  it("never reads another request's transaction before it ends", async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let begun!: () => void
    const inside = new Promise<void>((resolve) => {
      begun = resolve
    })
    const rolledBack = db
      .transaction()
      .execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ username: 'eve' })
          .where('username', '=', 'bob')
          .execute()
        begun()
        await held
        throw new Error('roll back')
      })
      .catch(() => 'rolled back')
    await inside
    // On SQLite's one connection this read waits for the transaction; it must not see 'eve'.
    const read = byName.first(db, 'eve')
    release()
    expect(await rolledBack).toBe('rolled back')
    expect(await read).toBeUndefined()
    expect(await byName.first(db, 'bob')).toBeDefined()
  })

  it('refuses a builder that does not bind an argument as it was given', async () => {
    const lowered = prepared(1, (db: Database, name: string) =>
      db.selectFrom('users').select(['id']).where(sql`lower(username)`, '=', String(name)),
    )
    // A programming error, raised where the query is first used (not a rejection to forget).
    expect(() => lowered.first(db, 'ann')).toThrow(/lost an argument/)
  })

  it.skipIf(!isPostgresUrl(url ?? process.env.DATABASE_URL ?? ''))(
    'reads a `*` again after a migration changed its table (PostgreSQL named statements)',
    async () => {
      // One connection, so the second read meets the statement the first one prepared.
      const one = openDatabase(url, { poolSize: 1 })
      try {
        await sql`create table stale_plan (a integer)`.execute(one)
        await sql`insert into stale_plan (a) values (1)`.execute(one)
        const read = () => sql`select * from stale_plan where a = ${1}`.execute(one)
        expect((await read()).rows).toEqual([{ a: 1 }])
        await sql`alter table stale_plan add column b text default 'x'`.execute(one)
        expect((await read()).rows).toEqual([{ a: 1, b: 'x' }])
        expect((await read()).rows).toEqual([{ a: 1, b: 'x' }])
      } finally {
        await one.destroy()
      }
    },
  )
})
