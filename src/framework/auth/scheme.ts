import type { FastifyRequest } from 'fastify'
import type { ReadsBody } from '../reads-body.ts'
import type { AuthUser } from './user.ts'

/** A successful authentication: the user and the credential that proved it (token, claims…). */
export interface Authenticated {
  user: AuthUser
  auth: unknown
}

/**
 * One way to authenticate (DRF's authentication classes). `authenticate` returns null when the
 * request is not in this scheme ("not mine") and throws AuthenticationFailed when it is and the
 * credentials are bad ("mine, and wrong"). One that reads the body (a CSRF token in a form) says
 * so with `readsBody`.
 */
export interface AuthScheme extends ReadsBody {
  readonly name: string
  /** The `WWW-Authenticate` value; a scheme without one makes unauthenticated answers 403. */
  readonly challenge?: string
  /**
   * The request headers the scheme reads (`Authorization`, `Cookie`): every answer of a route
   * that uses it varies on them, the anonymous answer included (Vary).
   */
  readonly vary?: readonly string[]
  /**
   * What the scheme finds on the server (`users`, `sessions`, `jwt`): a route using it on a
   * server without one is refused at start.
   */
  readonly needs?: readonly ('users' | 'sessions' | 'jwt')[]
  authenticate(request: FastifyRequest): Promise<Authenticated | null> | Authenticated | null
}
