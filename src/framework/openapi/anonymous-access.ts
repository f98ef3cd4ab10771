import type { FastifyRequest } from 'fastify'
import type { ResolvedAccess } from '../access.ts'
import { firstViewDenial } from '../permissions/evaluate.ts'

const quiet = () => {}
const silentLog = {
  error: quiet,
  warn: quiet,
  info: quiet,
  debug: quiet,
  trace: quiet,
  fatal: quiet,
}

/**
 * An anonymous request with nothing else about it. A permission that reaches for the server (the
 * database, a role lookup) throws, and a throw denies: what cannot be decided without a user's
 * data is not claimed to be open.
 */
function anonymousRequest(method: string, access: ResolvedAccess): FastifyRequest {
  const request = {
    method,
    user: null,
    auth: null,
    authenticator: null,
    access,
    params: {},
    query: {},
    headers: {},
    cookies: {},
    body: undefined,
    log: silentLog,
  }
  Object.defineProperty(request, 'server', {
    get() {
      throw new Error('not decidable without the server')
    },
  })
  return request as unknown as FastifyRequest
}

/**
 * Whether an anonymous request passes the route's view permissions for this method (AllowAny,
 * IsAuthenticatedOrReadOnly on a read…), judged by running them, so composed and custom
 * permissions are judged as the pipeline judges them.
 */
export async function allowsAnonymous(access: ResolvedAccess, method: string): Promise<boolean> {
  const request = anonymousRequest(method, access)
  try {
    return (await firstViewDenial(access.permissions, request, access.view)) === null
  } catch {
    return false
  }
}
