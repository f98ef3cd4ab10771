import {
  type Database,
  migrate,
  migrationStates,
  openDatabase,
  type PortcullisConfig,
} from 'portcullis'
import { CommandError } from '../accounts/cli/commands.ts'
import { type Prompt, terminalPrompt } from '../accounts/cli/prompt.ts'
import { accountsMigrations } from '../accounts/migrations/index.ts'

/** Opens the config's database; the caller closes it. */
export function openConfigDatabase(config: PortcullisConfig): Database {
  return typeof config.database === 'string' ? openDatabase(config.database) : config.database()
}

/**
 * Refuse to run the accounts commands on a database that lacks their tables or any migration the
 * config lists: a command never migrates behind the user's back.
 */
async function checkMigrated(db: Database, config: PortcullisConfig, program: string) {
  const listed = new Set(config.migrations.flatMap((set) => Object.keys(set)))
  if (Object.keys(accountsMigrations).some((name) => !listed.has(name))) {
    throw new CommandError(
      "the config's migrations do not list accountsMigrations (from 'portcullis/accounts'), whose tables this command uses: add it, then run `" +
        `${program} migrate\``,
    )
  }
  const pending = (await migrationStates(db, config.migrations)).filter((m) => !m.applied)
  if (pending.length) {
    throw new CommandError(
      `the database lacks ${pending.length} of the config's migrations (${pending[0]?.name}${pending.length > 1 ? ', …' : ''}): run \`${program} migrate\` first`,
    )
  }
}

/** How a command reaches the database. */
export interface CommandDatabaseOptions {
  /** The program's name, for the advice to migrate. */
  program: string
  /** The project's config, loaded when a command runs, so that --help needs none. */
  config: () => Promise<PortcullisConfig>
  /** Apply pending migrations before each command instead of refusing to run. */
  migrateFirst?: boolean
}

/**
 * Run one command on the config's database, checked (or migrated) first, and close it when done:
 * its result goes to stdout, a CommandError to stderr as one line with exit status 1.
 */
export async function withDatabase(
  options: CommandDatabaseOptions,
  work: (db: Database, prompt: Prompt) => Promise<string>,
) {
  const config = await options.config()
  const db = openConfigDatabase(config)
  const prompt = terminalPrompt()
  try {
    if (options.migrateFirst) await migrate(db, config.migrations)
    else await checkMigrated(db, config, options.program)
    console.log(await work(db, prompt))
  } catch (err) {
    if (!(err instanceof CommandError)) throw err
    console.error(err.message)
    process.exitCode = 1
  } finally {
    prompt.close()
    await db.destroy()
  }
}
