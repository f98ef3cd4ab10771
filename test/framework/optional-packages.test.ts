import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// Portcullis without its optional peers (pg, ioredis, sharp, nodemailer, Scalar): the entries
// load, and each setting that needs one stops with one line naming the package to install.
const run = promisify(execFile)

async function withoutOptionalPackages(script: string) {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/helpers/hide-optional-packages.mjs',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: process.cwd(), timeout: 30_000 },
  )
  return stdout.trim()
}

const attempt = `
const tryIt = (f) => { try { f(); return 'ok' } catch (err) { return err.message } }
`

describe('optional peer packages', () => {
  it('are not needed to load portcullis and portcullis/accounts, nor to use SQLite', async () => {
    const out = await withoutOptionalPackages(`
      const { openDatabase, migrate } = await import('./src/framework/index.ts')
      const { accountsMigrations } = await import('./src/accounts/index.ts')
      const db = openDatabase(':memory:')
      await migrate(db, [accountsMigrations])
      console.log('loaded')
      await db.destroy()
    `)
    expect(out).toBe('loaded')
  }, 40_000)

  it('stop a setting that needs one with a line naming the package', async () => {
    const out = await withoutOptionalPackages(`${attempt}
      const { openDatabase, openApiRoutes, installOpenApi, installPipeline, requireImageSupport } =
        await import('./src/framework/index.ts')
      const { openRedis } = await import('./src/framework/redis/redis-client.ts')
      const { smtpMailer } = await import('./src/framework/mail/smtp-mailer.ts')
      const { consoleMailer } = await import('./src/framework/mail/console-mailer.ts')
      const { default: Fastify } = await import('fastify')
      const app = Fastify()
      const other = Fastify()
      await installPipeline(app)
      await installPipeline(other)
      console.log(JSON.stringify([
        tryIt(() => openDatabase('postgres://root@127.0.0.1:5432/test')),
        tryIt(() => openRedis('redis://127.0.0.1:6379')),
        tryIt(() => requireImageSupport()),
        tryIt(() => smtpMailer('a@b.c', 'smtp://127.0.0.1:2525')),
        tryIt(() => consoleMailer('a@b.c')),
        tryIt(() => openApiRoutes(app, installOpenApi(app, { title: 't', version: '1' }))),
        tryIt(() => openApiRoutes(other, installOpenApi(other, { title: 't', version: '1' }), { docs: false })),
      ]))
    `)
    expect(JSON.parse(out)).toEqual([
      'PostgreSQL needs the "pg" package: npm install pg',
      'Redis needs the "ioredis" package: npm install ioredis',
      'Image uploads needs the "sharp" package: npm install sharp',
      'Mail needs the "nodemailer" package: npm install nodemailer',
      'Mail needs the "nodemailer" package: npm install nodemailer',
      'The API reference page (/docs) needs the "@scalar/fastify-api-reference" package: npm install @scalar/fastify-api-reference',
      'ok',
    ])
  }, 40_000)
})
