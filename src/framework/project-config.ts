import type { Database } from './db/database.ts'
import type { Migrations } from './db/migrate.ts'

/**
 * A project's config module, as Django's settings module: `portcullis.config.js` default-exports
 * one, the `portcullis` command line reads it, and the project's server can import the same
 * object to build its settings. Whatever else the project keeps in it rides along untouched.
 */
export interface PortcullisConfig {
  /**
   * A SQLite file path (relative to the current folder), `:memory:` or a `postgres://` URL; or a
   * function that opens the database (e.g. `() => openDatabase(url, { poolSize: 2 })`), called
   * by whoever needs it, who then closes what it returns. A function keeps importing the module
   * free of connections.
   */
  database: string | (() => Database)
  /**
   * The migration sets `portcullis migrate` applies, e.g. `[accountsMigrations, noteMigrations]`:
   * the accounts app's and your apps', nothing that is not listed.
   */
  migrations: Migrations[]
}

/** Types a config module's default export and returns it as given, extra keys included. */
export function defineConfig<Config extends PortcullisConfig>(config: Config): Config {
  return config
}
