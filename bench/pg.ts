import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** A PostgreSQL database made for one bench run, and how to drop it. */
export interface BenchDatabase {
  url: string
  drop(): Promise<void>
}

/**
 * Create a fresh database next to the one `adminUrl` names (which is only used to run CREATE and
 * DROP DATABASE), so a run never sees another's rows and leaves nothing behind.
 */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `portcullis_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect().catch((error: Error) => {
    throw new Error(`BENCH_DATABASE_URL (${adminUrl}) does not answer: ${error.message}`)
  })
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        // FORCE: a server child killed mid-run may still hold connections.
        await client.query(`drop database if exists ${name} with (force)`)
      } finally {
        await client.end()
      }
    },
  }
}
