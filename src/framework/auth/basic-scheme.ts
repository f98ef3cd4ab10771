import type { FastifyRequest } from 'fastify'
import { AuthenticationFailed } from '../errors.ts'
import { authorizationParts } from './authorization-header.ts'
import { basicCredentials } from './basic-credentials.ts'
import type { Authenticated, AuthScheme } from './scheme.ts'

/** HTTP Basic with username (or email) and password; DRF's BasicAuthentication. */
export const BasicScheme: AuthScheme = {
  name: 'basic',
  challenge: 'Basic realm="api"',
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
  // Inactive users fail like a wrong password, as Django's backend refuses them first.
  const user = await request.server.users.authenticate(login, password)
  if (!user) throw new AuthenticationFailed('Invalid username/password.')
  return { user, auth: null }
}
