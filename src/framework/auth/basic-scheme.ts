import type { FastifyRequest } from 'fastify'
import { AuthenticationFailed, Throttled } from '../errors.ts'
import type { MaybePromise } from '../maybe-promise.ts'
import { loginThrottle } from '../throttling/rate-throttle.ts'
import { authorizationParts } from './authorization-header.ts'
import { basicCredentials } from './basic-credentials.ts'
import type { Authenticated, AuthScheme } from './scheme.ts'

/**
 * HTTP Basic with username (or email) and password; DRF's BasicAuthentication. Each request
 * tries a password, so each counts in the `login` throttle scope, as a login form's does.
 */
export const BasicScheme: AuthScheme = {
  name: 'basic',
  needs: ['users'],
  challenge: 'Basic realm="api"',
  vary: ['Authorization'],
  // "Not mine" answers at once; only a Basic header waits, for the password hash.
  authenticate(request) {
    const parts = authorizationParts(request, 'basic')
    return parts ? checkBasic(request, parts) : null
  },
}

async function checkBasic(request: FastifyRequest, parts: string[]): Promise<Authenticated> {
  if (parts.length === 1) {
    throw new AuthenticationFailed('Invalid basic header. No credentials provided.')
  }
  if (parts.length > 2) {
    throw new AuthenticationFailed(
      'Invalid basic header. Credentials string should not contain spaces.',
    )
  }
  const credentials = basicCredentials(parts[1])
  if (!credentials) {
    throw new AuthenticationFailed(
      'Invalid basic header. Credentials not correctly base64 encoded.',
    )
  }
  const { login, password } = credentials
  // Counted per address and per account before the password is checked, so a locked account
  // answers 429 whether the password is right or not, and as fast whether it exists or not.
  const tries = loginThrottle(() => accountOf(request, login))
  const wait = await tries.check(request, request.access.view)
  if (wait !== null) throw new Throttled(Math.ceil(wait))
  // Inactive users fail like a wrong password, as Django's backend refuses them first.
  const user = await request.server.users.authenticate(login, password)
  if (!user) throw new AuthenticationFailed('Invalid username/password.')
  return { user, auth: null }
}

// The backend's account for the login, so a lock earned on a login form holds here too.
function accountOf(request: FastifyRequest, login: string): MaybePromise<string | null> {
  const { users } = request.server
  if (users.loginAccount) return users.loginAccount(login)
  const folded = login.trim().toLowerCase()
  return folded === '' ? null : folded
}
