import { readFileSync } from 'node:fs'
import { CommandError } from './commands.ts'

/** One record of a Django fixture, as `manage.py dumpdata` writes it. */
export interface DjangoRecord {
  model: string
  pk: unknown
  fields: Record<string, unknown>
}

/** A dump's user and token records, in file order. */
export interface DjangoDump {
  users: DjangoRecord[]
  tokens: DjangoRecord[]
  /** How many records of other models (groups, sessions…) were left alone. */
  ignored: number
}

// `auth.user`, or a custom user model with the same fields (`accounts.user`).
const USER_MODEL = /^\w+\.user$/i
const TOKEN_MODEL = 'authtoken.token'

function isRecord(value: unknown): value is DjangoRecord {
  if (typeof value !== 'object' || value === null) return false
  const { model, fields } = value as Record<string, unknown>
  return (
    typeof model === 'string' &&
    typeof fields === 'object' &&
    fields !== null &&
    !Array.isArray(fields)
  )
}

/** Read the text of a dump file; unreadable is one clear line, not a stack trace. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err)
    throw new CommandError(`${path}: cannot read the file (${reason})`)
  }
}

/**
 * Read and check a `dumpdata auth.user authtoken.token` file. The whole file is checked before
 * anything is written, so a malformed one changes nothing.
 */
export function readDjangoDump(path: string): DjangoDump {
  let data: unknown
  try {
    data = JSON.parse(readText(path))
  } catch (err) {
    if (err instanceof CommandError) throw err
    throw new CommandError(`${path}: not valid JSON (${(err as Error).message})`)
  }
  if (!Array.isArray(data)) {
    throw new CommandError(`${path}: not a Django dump (expected a JSON array of records)`)
  }
  const dump: DjangoDump = { users: [], tokens: [], ignored: 0 }
  for (const [index, record] of data.entries()) {
    if (!isRecord(record)) {
      throw new CommandError(
        `${path}: not a Django dump (record ${index} has no "model" and "fields")`,
      )
    }
    const model = record.model.toLowerCase()
    if (USER_MODEL.test(model)) dump.users.push(record)
    else if (model === TOKEN_MODEL) dump.tokens.push(record)
    else dump.ignored++
  }
  return dump
}
