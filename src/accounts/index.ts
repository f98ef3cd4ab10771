import type { FastifyInstance } from 'fastify'
import { registrationRoutes } from './routes/registration.ts'
import { tokenLoginRoutes } from './routes/token-login.ts'

export { accountsMigrations } from './migrations/index.ts'
export { accountsBackend, checkCredentials, findByLogin } from './user-backend.ts'
export { mintToken, revokeToken, hashKey, type TokenRecord } from './tokens.ts'
export { createUser, setPassword, validateNewUser, type NewUser } from './users.ts'
export type { User } from './user.ts'

/** Mount the accounts endpoints. */
export function accountsRoutes(app: FastifyInstance) {
  registrationRoutes(app)
  tokenLoginRoutes(app)
}
