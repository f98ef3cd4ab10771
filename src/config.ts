import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { DEFAULT_SQLITE_PATH } from 'portcullis'

/** The reference server's settings, from the environment. */
export interface ServerConfig {
  host: string
  port: number
  databaseUrl: string
  secretKey: string
  logLevel: string
}

/**
 * The secret from `SECRET_KEY`; in development, one generated on first start and kept in
 * `data/secret_key` (mode 0600) so that restarts keep signed values valid.
 */
function secretKey(env: NodeJS.ProcessEnv): string {
  if (env.SECRET_KEY) return env.SECRET_KEY
  const file = 'data/secret_key'
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync('data', { recursive: true })
  const key = randomBytes(48).toString('base64url')
  writeFileSync(file, key, { mode: 0o600 })
  return key
}

/** Read the configuration once at start; a bad value stops the start with one clear line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`)
  }
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || DEFAULT_SQLITE_PATH,
    secretKey: secretKey(env),
    logLevel: env.LOG_LEVEL ?? 'info',
  }
}
