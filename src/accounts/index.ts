import type { FastifyInstance } from 'fastify'
import { loginPageRoutes } from './routes/login-pages.ts'
import { registrationRoutes } from './routes/registration.ts'
import { sessionLoginRoutes } from './routes/session-login.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { tokenLoginRoutes } from './routes/token-login.ts'

export { jwtRoutes } from './jwt/routes.ts'
export { accountsMigrations } from './migrations/index.ts'
export { tokenRouter } from './routes/token-management.ts'
export { dbSessionStore } from './sessions/db-session-store.ts'
export { hashKey, mintToken, revokeToken, type TokenRecord } from './tokens.ts'
export type { User } from './user.ts'
export {
  type AccountsBackendOptions,
  accountsBackend,
  checkCredentials,
  findByLogin,
} from './user-backend.ts'
export { createUser, type NewUser, setPassword, validateNewUser } from './users.ts'

/** Mount the accounts endpoints. */
export function accountsRoutes(app: FastifyInstance) {
  registrationRoutes(app)
  tokenLoginRoutes(app)
  loginPageRoutes(app)
  sessionLoginRoutes(app)
  sessionRoutes(app)
}
