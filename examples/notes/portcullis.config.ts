import { defineConfig } from 'portcullis'
import { accountsMigrations } from 'portcullis/accounts'
import { noteMigrations } from './src/notes/index.js'

// What `portcullis migrate` (and the other commands) run on: the server's database and the
// migration sets of the apps it serves. Built to dist/portcullis.config.js with the rest.
export default defineConfig({
  database: process.env.DATABASE_URL || 'notes.sqlite3',
  migrations: [accountsMigrations, noteMigrations],
})
