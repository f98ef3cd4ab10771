import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PortcullisConfig } from 'portcullis'

/** The config modules looked for in the current folder, in this order. */
export const CONFIG_FILES = [
  'portcullis.config.js',
  'portcullis.config.mjs',
  'portcullis.config.ts',
]

const SHAPE = "defineConfig({ database, migrations }) from 'portcullis'"

/** A config that is missing or malformed: one line saying what to create or change. */
export class ConfigError extends Error {}

/**
 * The config module's path: `given` (--config, or PORTCULLIS_CONFIG) relative to `cwd`, else the
 * first of CONFIG_FILES in `cwd`.
 */
export function findConfigFile(given: string | undefined, cwd: string): string {
  if (given) {
    const path = resolve(cwd, given)
    if (!existsSync(path)) throw new ConfigError(`no config module at ${path}`)
    return path
  }
  const found = CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path))
  if (found) return found
  throw new ConfigError(
    `no portcullis.config.js in ${cwd}: create one that default-exports ${SHAPE}, or name it with --config <path> or PORTCULLIS_CONFIG`,
  )
}

// A thrown value's first line: the command line answers in one.
function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? ''
}

function isMigrationSet(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((m) => typeof (m as { up?: unknown })?.up === 'function')
  )
}

/** Check a module's default export; `where` names the file in the message. */
export function checkConfig(value: unknown, where: string): PortcullisConfig {
  if (typeof value !== 'object' || value === null) {
    throw new ConfigError(`${where} should default-export ${SHAPE}`)
  }
  const { database, migrations } = value as Partial<PortcullisConfig>
  if (!(typeof database === 'function' || (typeof database === 'string' && database !== ''))) {
    throw new ConfigError(
      `${where}: \`database\` should be a SQLite path, a postgres:// URL or a function returning openDatabase(…)`,
    )
  }
  if (!Array.isArray(migrations) || !migrations.every(isMigrationSet)) {
    throw new ConfigError(
      `${where}: \`migrations\` should be a list of migration sets, e.g. [accountsMigrations, yourMigrations]`,
    )
  }
  return value as PortcullisConfig
}

/** Import the config module at `path` and check what it exports. */
export async function loadConfigFile(path: string, cwd: string): Promise<PortcullisConfig> {
  const where = relative(cwd, path) || path
  let loaded: { default?: unknown }
  try {
    loaded = await import(pathToFileURL(path).href)
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new ConfigError(
        `${where} is TypeScript, which plain node does not load: run the command under tsx (NODE_OPTIONS='--import tsx' npx portcullis …) or write portcullis.config.js`,
      )
    }
    throw new ConfigError(`${where} could not be loaded: ${firstLine(err)}`)
  }
  return checkConfig(loaded.default, where)
}
