import type { FastifyInstance } from 'fastify'
import { registrationRoutes } from './routes/registration.ts'
import { tokenLoginRoutes } from './routes/token-login.ts'

export { accountsMigrations } from './migrations/index.ts'
export { hashKey, mintToken, revokeToken, type TokenRecord } from './tokens.ts'
export type { User } from './user.ts'
export { accountsBackend, checkCredentials, findByLogin } from './user-backend.ts'
export { createUser, type NewUser, setPassword, validateNewUser } from './users.ts'

/** Mount the accounts endpoints. */
export function accountsRoutes(app: FastifyInstance) {
  registrationRoutes(app)
  tokenLoginRoutes(app)
}
