import { TokenError } from '../../framework/auth/jwt/token-errors.ts'
import { InvalidToken } from '../../framework/auth/jwt-errors.ts'
import { JwtScheme } from '../../framework/auth/jwt-scheme.ts'
import type { ApiError } from '../../framework/errors.ts'

/**
 * Name the Bearer challenge on a token view's 401: these views authenticate nobody, but
 * simplejwt's TokenViewBase still answers `WWW-Authenticate: Bearer realm="api"`.
 */
export function withBearerChallenge<E extends ApiError>(err: E): E {
  err.headers['www-authenticate'] = JwtScheme.challenge ?? 'Bearer'
  return err
}

/** Await a token check; a TokenError becomes 401 `{"detail": <why>, "code": "token_not_valid"}`. */
export async function orInvalidToken<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof TokenError) throw withBearerChallenge(new InvalidToken(err.message))
    throw err
  }
}
