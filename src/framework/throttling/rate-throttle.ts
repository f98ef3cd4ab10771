import type { FastifyRequest } from 'fastify'
import type { Throttle } from './throttle.ts'
import './throttling-context.ts'

/** Who a request counts as, in a scope: a cache key, or null when the throttle does not apply. */
export type Identify = (request: FastifyRequest) => string | null | Promise<string | null>

/**
 * A throttle over one scope's rate (DRF's SimpleRateThrottle): no rate configured for the scope
 * means no limit; otherwise every identity the request counts as must be under the rate.
 */
export function rateThrottle(scope: string, ...identities: Identify[]): Throttle {
  return {
    scope,
    async check(request) {
      const { rates, store, now } = request.server.throttling
      const rate = rates[scope]
      if (!rate) return null
      const at = now()
      let wait: number | null = null
      for (const identify of identities) {
        const ident = await identify(request)
        if (ident === null) continue
        const result = await store.hit(
          `${scope}:${ident}`,
          rate.limit,
          rate.windowSeconds * 1000,
          at,
        )
        if (!result.allowed) wait = Math.max(wait ?? 0, result.waitSeconds)
      }
      return wait
    },
  }
}

/** The client's address: the socket's, or X-Forwarded-For's when TRUSTED_PROXIES trusts the hop. */
export const byIp: Identify = (request) => `ip:${request.ip}`

/** The authenticated user's id, or the address for an anonymous request (DRF's UserRateThrottle). */
export const byUserOrIp: Identify = (request) =>
  request.user ? `user:${request.user.id}` : byIp(request)

/** Anonymous requests, per address (DRF's AnonRateThrottle, scope `anon`). */
export const AnonRateThrottle: Throttle = rateThrottle('anon', (request) =>
  request.user ? null : byIp(request),
)

/** Every request, per user (or address when anonymous) (DRF's UserRateThrottle, scope `user`). */
export const UserRateThrottle: Throttle = rateThrottle('user', byUserOrIp)

/** A named scope's rate, per user or address (DRF's ScopedRateThrottle). */
export function scopedThrottle(scope: string): Throttle {
  return rateThrottle(scope, byUserOrIp)
}

/**
 * The `login` scope for endpoints that take a password: counted per address AND per account
 * tried, so a credential-stuffing run is slowed whether it rotates usernames or addresses.
 */
export function loginThrottle(account: Identify): Throttle {
  return rateThrottle('login', byIp, async (request) => {
    const name = await account(request)
    return name === null ? null : `account:${name}`
  })
}
