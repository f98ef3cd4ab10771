import type { Database } from '../../framework/db/database.ts'
import { ValidationError } from '../../framework/errors.ts'
import { validatePassword } from '../passwords/validators.ts'
import { createUser, setPassword, validateNewUser } from '../users.ts'
import type { Prompt } from './prompt.ts'

/** A command-line failure: printed as one line, exit status 1. */
export class CommandError extends Error {}

function describeErrors(err: unknown): never {
  if (err instanceof ValidationError) {
    const lines = Object.entries(err.errors).map(
      ([field, messages]) => `${field}: ${messages.join(' ')}`,
    )
    throw new CommandError(lines.join('\n'))
  }
  throw err
}

/** Options of createuser / createsuperuser. */
export interface CreateUserOptions {
  input: boolean
  username?: string
  email?: string
  staff?: boolean
  superuser?: boolean
  inactive?: boolean
  /** The password when `input` is false (from the environment, never a flag: flags show in `ps`). */
  password?: string
}

/** Create a user from flags and the environment, or by asking (Django's createsuperuser). */
export async function createUserCommand(db: Database, options: CreateUserOptions, prompt: Prompt) {
  let { username, email, password } = options
  if (options.input) {
    username ||= (await prompt.ask('Username: ')).trim()
    email ||= (await prompt.ask('Email address: ')).trim()
    password = await prompt.secret('Password: ')
    if ((await prompt.secret('Password (again): ')) !== password) {
      throw new CommandError("Error: Your passwords didn't match.")
    }
  } else if (!username || !email || !password) {
    throw new CommandError(
      'With --no-input, give --username and --email, and the password in PORTCULLIS_SUPERUSER_PASSWORD.',
    )
  }
  const data = await validateNewUser(db, { username, email, password }).catch(describeErrors)
  const user = await createUser(db, {
    ...data,
    is_staff: options.staff || options.superuser,
    is_superuser: options.superuser,
    is_active: !options.inactive,
  }).catch(describeErrors)
  return `${options.superuser ? 'Superuser' : 'User'} "${user.username}" created (id ${user.id}).`
}

/** Set a user's password after asking twice (or from the environment with --no-input). */
export async function changePasswordCommand(
  db: Database,
  username: string,
  prompt: Prompt,
  fromEnv?: string,
) {
  const user = await db
    .selectFrom('users')
    .select(['username', 'email', 'name'])
    .where('username', '=', username)
    .executeTakeFirst()
  if (!user) throw new CommandError(`user '${username}' does not exist`)
  let password = fromEnv
  if (password === undefined) {
    password = await prompt.secret(`Password for user '${username}': `)
    if ((await prompt.secret('Password (again): ')) !== password) {
      throw new CommandError('Passwords do not match.')
    }
  }
  const problems = validatePassword(password, user)
  if (problems.length) throw new CommandError(problems.join('\n'))
  await setPassword(db, username, password)
  return `Password changed successfully for user '${username}'.`
}

/** Switch a user's is_active; takes effect at the next request (nothing caches users). */
export async function setActiveCommand(db: Database, username: string, active: boolean) {
  const result = await db
    .updateTable('users')
    .set({ is_active: active })
    .where('username', '=', username)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0)
    throw new CommandError(`user '${username}' does not exist`)
  return `User '${username}' ${active ? 'activated' : 'deactivated'}.`
}
