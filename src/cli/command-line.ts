import { Command } from 'commander'
import { migrate, migrationStates } from 'portcullis'
import {
  CommandError,
  changePasswordCommand,
  createUserCommand,
  setActiveCommand,
} from '../accounts/cli/commands.ts'
import { type DjangoDump, readDjangoDump } from '../accounts/cli/django-dump.ts'
import { importDjangoUsers } from '../accounts/cli/import-django-users.ts'
import {
  grantCommand,
  groupAddUserCommand,
  groupCreateCommand,
  groupRemoveUserCommand,
  revokeCommand,
} from '../accounts/cli/permission-commands.ts'
import {
  type CommandDatabaseOptions,
  openConfigDatabase,
  withDatabase,
} from './command-database.ts'

/** What the command line runs against. */
export interface CommandLineOptions extends CommandDatabaseOptions {
  /** Where passwords come from with --no-input: the environment, never a flag (flags show in `ps`). */
  env: Record<string, string | undefined>
}

const userOptions = (command: Command) =>
  command
    .option('--no-input', 'do not ask; the password comes from PORTCULLIS_SUPERUSER_PASSWORD')
    .option('--username <username>')
    .option('--email <email>')

/** `migrate` and `showmigrations`: the config's migration sets, and nothing else. */
function migrationCommands(program: Command, options: CommandLineOptions) {
  program
    .command('migrate')
    .description("apply every pending migration of the config's migration sets")
    .action(async () => {
      const config = await options.config()
      const db = openConfigDatabase(config)
      try {
        const applied = await migrate(db, config.migrations)
        console.log(
          applied.length
            ? applied.map((m) => `Applied ${m}`).join('\n')
            : 'No migrations to apply.',
        )
      } finally {
        await db.destroy()
      }
    })

  program
    .command('showmigrations')
    .description("list the config's migrations, [X] when applied")
    .action(async () => {
      const config = await options.config()
      const db = openConfigDatabase(config)
      try {
        const states = await migrationStates(db, config.migrations)
        console.log(states.map((m) => `[${m.applied ? 'X' : ' '}] ${m.name}`).join('\n'))
      } finally {
        await db.destroy()
      }
    })
}

/** createsuperuser, createuser, changepassword, activate and deactivate. */
function userCommands(program: Command, options: CommandLineOptions) {
  const { env } = options
  userOptions(program.command('createsuperuser').description('create a staff superuser')).action(
    (opts: { input: boolean; username?: string; email?: string }) =>
      withDatabase(options, (db, prompt) =>
        createUserCommand(
          db,
          { ...opts, superuser: true, password: env.PORTCULLIS_SUPERUSER_PASSWORD },
          prompt,
        ),
      ),
  )

  userOptions(program.command('createuser').description('create a user'))
    .option('--staff', 'give staff status')
    .option('--inactive', 'create the account inactive')
    .action(
      (opts: {
        input: boolean
        username?: string
        email?: string
        staff?: boolean
        inactive?: boolean
      }) =>
        withDatabase(options, (db, prompt) =>
          createUserCommand(
            db,
            { ...opts, password: env.PORTCULLIS_PASSWORD ?? env.PORTCULLIS_SUPERUSER_PASSWORD },
            prompt,
          ),
        ),
    )

  program
    .command('changepassword <username>')
    .description("change a user's password")
    .option('--no-input', 'take the password from PORTCULLIS_PASSWORD')
    .action((username: string, opts: { input: boolean }) =>
      withDatabase(options, (db, prompt) =>
        changePasswordCommand(
          db,
          username,
          prompt,
          opts.input ? undefined : (env.PORTCULLIS_PASSWORD ?? ''),
        ),
      ),
    )

  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    program
      .command(`${name} <username>`)
      .description(
        `${name} a user: their credentials ${active ? 'work again' : 'stop working at once'}`,
      )
      .action((username: string) =>
        withDatabase(options, (db) => setActiveCommand(db, username, active)),
      )
  }

  program
    .command('import-django-users <file>')
    .description(
      "import users and tokens from Django's `manage.py dumpdata auth.user authtoken.token`",
    )
    .action(async (file: string) => {
      // The file is read and checked before the database is opened: a bad one changes nothing.
      let dump: DjangoDump
      try {
        dump = readDjangoDump(file)
      } catch (err) {
        if (!(err instanceof CommandError)) throw err
        console.error(err.message)
        process.exitCode = 1
        return
      }
      await withDatabase(options, (db) => importDjangoUsers(db, dump))
    })
}

/** grant, revoke and the group commands. */
function permissionCommands(program: Command, options: CommandLineOptions) {
  program
    .command('grant <holder> <permissions...>')
    .description('grant model permissions (app.action_model) to a USER or an @GROUP')
    .option('--on <object>', 'only on one object, named app.model:ID (django-guardian)')
    .action((holder: string, permissions: string[], opts: { on?: string }) =>
      withDatabase(options, (db) => grantCommand(db, holder, permissions, opts.on)),
    )

  program
    .command('revoke <holder> <permissions...>')
    .description('revoke model permissions from a USER or an @GROUP')
    .option('--on <object>', 'only on one object, named app.model:ID (django-guardian)')
    .action((holder: string, permissions: string[], opts: { on?: string }) =>
      withDatabase(options, (db) => revokeCommand(db, holder, permissions, opts.on)),
    )

  program
    .command('group-create <name>')
    .description('create a group')
    .action((name: string) => withDatabase(options, (db) => groupCreateCommand(db, name)))

  program
    .command('group-add-user <group> <username>')
    .description('put a user in an @GROUP')
    .action((group: string, username: string) =>
      withDatabase(options, (db) => groupAddUserCommand(db, group, username)),
    )

  program
    .command('group-remove-user <group> <username>')
    .description('take a user out of an @GROUP')
    .action((group: string, username: string) =>
      withDatabase(options, (db) => groupRemoveUserCommand(db, group, username)),
    )
}

/**
 * The management commands (Django's manage.py) over a project's config: `migrate` applies its
 * migration sets; every other command runs on a migrated database (or migrates first when
 * `migrateFirst` says so). The caller adds its own commands, then parses.
 */
export function commandLine(options: CommandLineOptions): Command {
  const program = new Command(options.program).description('Portcullis management commands')
  migrationCommands(program, options)
  userCommands(program, options)
  permissionCommands(program, options)
  return program
}
