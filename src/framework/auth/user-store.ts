import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database.ts'
import type { PermissionBackend } from '../permissions/permission-backend.ts'
import type { SessionLifetimes, SessionStore } from './session-store.ts'
import type { UserBackend } from './user.ts'

/** What a user store provides the server: users, and optionally their permissions and sessions. */
export interface UserStore {
  /** Where schemes look users up. */
  users: UserBackend
  /** Model and object permissions (DjangoModelPermissions, object grants). */
  permissions?: PermissionBackend
  /** Where sessions live when the server has no Redis. */
  sessions?: SessionStore
}

/** What a user store is built from, once the server's database is open. */
export interface UserStoreContext {
  db: Database
  sessions: SessionLifetimes
  log: FastifyBaseLogger
}

/** Builds the user store (`accountsUsers()` from `portcullis/accounts` is one). */
export type UsersProvider = (context: UserStoreContext) => UserStore
