import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const portcullis = fileURLToPath(new URL('./src/framework/index.ts', import.meta.url))
// Browser tests need Debian's Chromium (.ci/run installs it); without it they are not collected.
const chromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')

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
      // Redis suites run where Redis is configured (CI sets REDIS_URL; `npm test` needs none).
      ...(process.env.REDIS_URL
        ? [
            {
              extends: true as const,
              test: { name: 'redis', include: ['test/redis/**/*.test.ts'] },
            },
          ]
        : []),
      ...(chromium
        ? [
            {
              extends: true as const,
              test: { name: 'browser', include: ['test/browser/**/*.test.ts'] },
            },
          ]
        : []),
    ],
  },
})
