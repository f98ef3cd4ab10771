import {
  AnonRateThrottle,
  type AppSettings,
  IsAuthenticated,
  SessionScheme,
  TokenScheme,
  UserRateThrottle,
} from 'portcullis'
import { accountsUsers } from 'portcullis/accounts'

/**
 * The notes server's settings, from the environment: DATABASE_URL (a SQLite file by default, or a
 * postgres:// URL) and SECRET_KEY (required outside tests).
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const secretKey = env.SECRET_KEY
  if (!secretKey) throw new Error('SECRET_KEY is not set: give it 32 or more random characters')
  return {
    database: env.DATABASE_URL || 'notes.sqlite3',
    secretKey,
    users: accountsUsers(),
    // DRF's DEFAULT_* settings: a token first, so no credentials answers 401 with its challenge;
    // the session for a browser logged in elsewhere (its writes need the CSRF token).
    defaults: {
      authentication: [TokenScheme, SessionScheme],
      permissions: [IsAuthenticated],
      throttles: [AnonRateThrottle, UserRateThrottle],
    },
    allowedHosts: (env.ALLOWED_HOSTS ?? 'localhost,127.0.0.1').split(','),
    throttleRates: { anon: '100/min', user: '1000/min', login: '5/min', 'notes.create': '10/min' },
    openapi: { title: 'Notes', version: '1.0.0' },
    health: true,
    logger: env.LOG_LEVEL ? { level: env.LOG_LEVEL } : false,
  }
}
