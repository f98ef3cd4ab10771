import { Command } from 'commander'
import { type Database, migrate, openDatabase } from 'portcullis'
import {
  CommandError,
  changePasswordCommand,
  createUserCommand,
  setActiveCommand,
} from './accounts/cli/commands.ts'
import { type DjangoDump, readDjangoDump } from './accounts/cli/django-dump.ts'
import { importDjangoUsers } from './accounts/cli/import-django-users.ts'
import {
  grantCommand,
  groupAddUserCommand,
  groupCreateCommand,
  groupRemoveUserCommand,
  revokeCommand,
} from './accounts/cli/permission-commands.ts'
import { type Prompt, terminalPrompt } from './accounts/cli/prompt.ts'
import { loadConfig } from './config.ts'
import { allMigrations, main as runserver } from './server.ts'

// Each command opens the configured database, migrated, and closes it when done.
async function withDatabase(work: (db: Database, prompt: Prompt) => Promise<string>) {
  const db = openDatabase(loadConfig().databaseUrl)
  const prompt = terminalPrompt()
  try {
    await migrate(db, allMigrations)
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

const userOptions = (command: Command) =>
  command
    .option('--no-input', 'do not ask; the password comes from PORTCULLIS_SUPERUSER_PASSWORD')
    .option('--username <username>')
    .option('--email <email>')

const program = new Command('manage').description('Portcullis management commands')

program
  .command('migrate')
  .description('apply every pending migration')
  .action(async () => {
    const db = openDatabase(loadConfig().databaseUrl)
    const applied = await migrate(db, allMigrations)
    await db.destroy()
    console.log(
      applied.length ? applied.map((m) => `Applied ${m}`).join('\n') : 'No migrations to apply.',
    )
  })

userOptions(program.command('createsuperuser').description('create a staff superuser')).action(
  (opts: { input: boolean; username?: string; email?: string }) =>
    withDatabase((db, prompt) =>
      createUserCommand(
        db,
        { ...opts, superuser: true, password: process.env.PORTCULLIS_SUPERUSER_PASSWORD },
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
      withDatabase((db, prompt) =>
        createUserCommand(
          db,
          {
            ...opts,
            password: process.env.PORTCULLIS_PASSWORD ?? process.env.PORTCULLIS_SUPERUSER_PASSWORD,
          },
          prompt,
        ),
      ),
  )

program
  .command('changepassword <username>')
  .description("change a user's password")
  .option('--no-input', 'take the password from PORTCULLIS_PASSWORD')
  .action((username: string, opts: { input: boolean }) =>
    withDatabase((db, prompt) =>
      changePasswordCommand(
        db,
        username,
        prompt,
        opts.input ? undefined : (process.env.PORTCULLIS_PASSWORD ?? ''),
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
    .action((username: string) => withDatabase((db) => setActiveCommand(db, username, active)))
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
    await withDatabase((db) => importDjangoUsers(db, dump))
  })

program
  .command('grant <holder> <permissions...>')
  .description('grant model permissions (app.action_model) to a USER or an @GROUP')
  .option('--on <object>', 'only on one object, named app.model:ID (django-guardian)')
  .action((holder: string, permissions: string[], opts: { on?: string }) =>
    withDatabase((db) => grantCommand(db, holder, permissions, opts.on)),
  )

program
  .command('revoke <holder> <permissions...>')
  .description('revoke model permissions from a USER or an @GROUP')
  .option('--on <object>', 'only on one object, named app.model:ID (django-guardian)')
  .action((holder: string, permissions: string[], opts: { on?: string }) =>
    withDatabase((db) => revokeCommand(db, holder, permissions, opts.on)),
  )

program
  .command('group-create <name>')
  .description('create a group')
  .action((name: string) => withDatabase((db) => groupCreateCommand(db, name)))

program
  .command('group-add-user <group> <username>')
  .description('put a user in an @GROUP')
  .action((group: string, username: string) =>
    withDatabase((db) => groupAddUserCommand(db, group, username)),
  )

program
  .command('group-remove-user <group> <username>')
  .description('take a user out of an @GROUP')
  .action((group: string, username: string) =>
    withDatabase((db) => groupRemoveUserCommand(db, group, username)),
  )

program.command('runserver').description('migrate and start the server').action(runserver)

program.parseAsync().catch((err: Error) => {
  console.error(`manage: ${err.message}`)
  process.exit(1)
})
