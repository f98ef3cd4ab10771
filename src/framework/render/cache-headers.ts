import type { FastifyInstance } from 'fastify'
import type { ResolvedAccess } from '../access.ts'
import { SAFE_METHODS } from '../permissions/safe-methods.ts'

// A route's Vary addition, made once per route policy: the headers its schemes read.
const varyByAccess = new WeakMap<ResolvedAccess, string>()

function varyOf(access: ResolvedAccess): string {
  let vary = varyByAccess.get(access)
  if (vary === undefined) {
    const headers = new Set(access.authentication.flatMap((scheme) => scheme.vary ?? []))
    vary = [...headers].join(', ')
    varyByAccess.set(access, vary)
  }
  return vary
}

/**
 * Tell caches what an answer depends on and what they must not keep (Django's SessionMiddleware
 * `Vary: Cookie` and `never_cache`, for every scheme):
 * - `Vary` names the headers the route's schemes read, on every answer of the route: the
 *   anonymous answer depends on their absence, so it must not be served to a requester who
 *   sends credentials (nor a user's answer to anyone else).
 * - `Cache-Control: no-store` on an answer to an authenticated request (a user's data), to a
 *   method other than GET, HEAD or OPTIONS (writes, and the logins that answer with a token), and
 *   on one that sets a cookie (a session or JWT cookie must reach one client only). A route's
 *   own Cache-Control stands; an anonymous public answer stays cacheable.
 * After the cookie plugin's onSend, so the cookies an answer sets are visible here.
 */
export function installCacheHeaders(app: FastifyInstance) {
  app.addHook('onSend', (request, reply, payload, done) => {
    // Set once the pipeline ran for the request's route.
    const access = request.access
    if (access) {
      const vary = varyOf(access)
      if (vary) {
        const before = reply.getHeader('vary')
        reply.header('vary', before ? `${before}, ${vary}` : vary)
      }
    }
    if (
      (request.user !== null ||
        !SAFE_METHODS.has(request.method) ||
        reply.hasHeader('set-cookie')) &&
      !reply.hasHeader('cache-control')
    ) {
      reply.header('cache-control', 'no-store')
    }
    done(null, payload)
  })
}
