import { randomUUID } from 'node:crypto'
import { createUser, mintToken } from '../src/accounts/index.ts'
import { migrate, openDatabase } from '../src/framework/index.ts'
import { allMigrations } from '../src/server.ts'

/** What the load generator needs to know about the seeded database. */
export interface Seeded {
  token: string
  detailId: number
  ownCount: number
  totalCount: number
}

const OWN_BUCKETLISTS = 50
const OTHER_USERS = 100
const PER_OTHER_USER = 100
// 5 columns a row: well under SQLite's bound-parameter limit, few enough round trips.
const CHUNK = 500

interface BucketlistRow {
  name: string
  owner_id: string
  date_created: string
  date_modified: string
}

/**
 * Fill a fresh SQLite file: one bench user with a token and a few bucketlists, among ~10k
 * bucketlists of other users, so the owner scoping of the list has to use the index.
 */
export async function seed(path: string): Promise<Seeded> {
  const db = openDatabase(path)
  try {
    await migrate(db, allMigrations)
    // The real path (argon2 hash and all), so the row looks like any registered user's.
    const user = await createUser(db, {
      username: 'bench',
      email: 'bench@example.com',
      password: 'correct horse battery staple 42',
    })
    const token = await mintToken(db, user.id, { name: 'bench' })

    const now = new Date().toISOString()
    const others = Array.from({ length: OTHER_USERS }, (_, i) => ({
      id: randomUUID(),
      username: `other${i}`,
      email: `other${i}@example.com`,
      name: '',
      // Never logged in with: hashing 100 passwords would only slow the seed down.
      password: '!unusable',
      is_active: true,
      is_staff: false,
      is_superuser: false,
      date_joined: now,
    }))

    // Owners interleaved, so the bench user's rows are spread across the table like real data.
    const rows: BucketlistRow[] = []
    for (let i = 0; i < OTHER_USERS * PER_OTHER_USER; i++) {
      const owner = others[i % OTHER_USERS].id
      rows.push({ name: `other list ${i}`, owner_id: owner, date_created: now, date_modified: now })
      if (i % Math.floor((OTHER_USERS * PER_OTHER_USER) / OWN_BUCKETLISTS) === 0) {
        const n = rows.length
        rows.push({
          name: `bench list ${n}`,
          owner_id: user.id,
          date_created: now,
          date_modified: now,
        })
      }
    }

    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(others).execute()
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx
          .insertInto('bucketlists')
          .values(rows.slice(i, i + CHUNK))
          .execute()
      }
    })

    const own = await db
      .selectFrom('bucketlists')
      .select(['id'])
      .where('owner_id', '=', user.id)
      .orderBy('id')
      .execute()
    // A row from the middle of the table, not the first one a cold cache would favour.
    const detailId = own[Math.floor(own.length / 2)].id
    return { token, detailId, ownCount: own.length, totalCount: rows.length }
  } finally {
    await db.destroy()
  }
}
