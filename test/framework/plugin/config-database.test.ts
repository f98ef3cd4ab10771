import { sql } from 'kysely'
import { createApp, type Database, defineConfig, openDatabase } from 'portcullis'
import { describe, expect, it } from 'vitest'

// A config module's object is the server's settings too, as Django's settings module.
describe('a config module on the server', () => {
  it('builds the app; its database function is called at start and what it opened closes with the server', async () => {
    const opened: Database[] = []
    const config = defineConfig({
      database: () => {
        const db = openDatabase(':memory:')
        opened.push(db)
        return db
      },
      migrations: [],
      secretKey: 'k'.repeat(32),
    })
    expect(opened).toEqual([])
    const app = await createApp({ ...config, logger: false })
    expect(opened).toHaveLength(1)
    expect(app.db).toBe(opened[0])
    await app.close()
    await expect(sql`select 1`.execute(opened[0] as Database)).rejects.toThrow()
  })
})
