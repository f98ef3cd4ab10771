import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))
// Browser tests need Debian's Chromium (.ci/run installs it); without it they are not collected.
const chromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')

// Two projects: `unit` needs nothing, `db` talks to a real database (SQLite by default,
// PostgreSQL when DATABASE_URL is set), so CI can run the second one again on PostgreSQL.
export default defineConfig({
  // Exact matches, in order: a plain `portcullis` key would also match `portcullis/testing`.
  resolve: {
    alias: [
      { find: /^portcullis$/, replacement: source('./src/framework/index.ts') },
      { find: /^portcullis\/accounts$/, replacement: source('./src/accounts/index.ts') },
      { find: /^portcullis\/testing$/, replacement: source('./src/testing/index.ts') },
    ],
  },
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
