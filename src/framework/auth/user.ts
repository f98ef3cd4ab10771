import type { MaybePromise } from '../maybe-promise.ts'

/** What the framework needs to know of a user; the accounts app's user satisfies it. */
export interface AuthUser {
  id: string
  username: string
  is_active: boolean
  is_staff: boolean
  is_superuser: boolean
}

/** Where schemes look users up: provided by the accounts app, registered on the server. */
export interface UserBackend {
  /** The active user with these credentials (username or email), or null; same time either way. */
  authenticate(login: string, password: string): Promise<AuthUser | null>
  /**
   * The account a login (username or email) tries, folded, for counting tries in the `login`
   * throttle scope; null for a blank login. Every way of logging in counts through it, so that
   * each spelling of one account shares one count. Without it, a login counts as itself, folded.
   */
  loginAccount?(login: string): MaybePromise<string | null>
  /** The user with this id (active or not), or null: sessions and JWTs name users by id. */
  userById(id: string): MaybePromise<AuthUser | null>
  /** The user and token record for a presented token key, or null. */
  userForToken(key: string): MaybePromise<{ user: AuthUser; token: unknown } | null>
}
