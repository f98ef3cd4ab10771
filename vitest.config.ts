import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const portcullis = fileURLToPath(new URL('./src/framework/index.ts', import.meta.url))

// Two projects: `unit` needs nothing, `db` talks to a real database (SQLite by default,
// PostgreSQL when DATABASE_URL is set), so CI can run the second one again on PostgreSQL.
export default defineConfig({
  resolve: { alias: { portcullis } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/framework/**/*.test.ts', 'test/accounts/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'db', include: ['test/contract/**/*.test.ts', 'test/db/**/*.test.ts'] },
      },
    ],
  },
})
