import { DEFAULT_SQLITE_PATH, defineConfig } from 'portcullis'
import { commandLine } from './cli/command-line.ts'
import { allMigrations, main as runserver } from './server.ts'

// The reference server's config: the database `npm start` serves (DATABASE_URL) and every
// reference app's migrations.
const config = defineConfig({
  database: process.env.DATABASE_URL || DEFAULT_SQLITE_PATH,
  migrations: allMigrations,
})

// `npm run manage -- <command>`: the package's command line over that config; as `npm start`
// does, each command migrates first, so a fresh checkout needs no separate step.
const program = commandLine({
  program: 'manage',
  config: async () => config,
  env: process.env,
  migrateFirst: true,
})
program.command('runserver').description('migrate and start the server').action(runserver)

program.parseAsync().catch((err: Error) => {
  console.error(`manage: ${err.message}`)
  process.exit(1)
})
