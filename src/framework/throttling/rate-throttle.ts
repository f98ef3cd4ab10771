import type { FastifyRequest } from 'fastify'
import { andThen, type MaybePromise } from '../maybe-promise.ts'
import type { Throttle } from './throttle.ts'
import './throttling-context.ts'

/** Who a request counts as, in a scope: a cache key, or null when the throttle does not apply. */
export type Identify = (request: FastifyRequest) => MaybePromise<string | null>

/**
 * A throttle over one scope's rate (DRF's SimpleRateThrottle): no rate configured for the scope
 * means no limit; otherwise every identity the request counts as must be under the rate.
 */
export function rateThrottle(scope: string, ...identities: Identify[]): Throttle {
  return {
    scope,
    // Not async: with no rate for the scope, or a store in memory, nothing is waited on.
    check(request) {
      const { rates, store, now } = request.server.throttling
      const rate = rates[scope]
      if (!rate) return null
      const at = now()
      const windowMs = rate.windowSeconds * 1000
      // Every identity is counted, in order, even once one is over: DRF records each hit.
      const from = (i: number, wait: number | null): MaybePromise<number | null> => {
        if (i === identities.length) return wait
        return andThen(identities[i](request), (ident) => {
          if (ident === null) return from(i + 1, wait)
          return andThen(store.hit(`${scope}:${ident}`, rate.limit, windowMs, at), (result) =>
            from(i + 1, result.allowed ? wait : Math.max(wait ?? 0, result.waitSeconds)),
          )
        })
      }
      return from(0, null)
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

/**
 * A named scope's rate, per user (or address when anonymous): DRF's ScopedRateThrottle with its
 * view's `throttle_scope`. Put on one action it limits that action alone; a scope with no rate
 * in the server's rates stops the start, so a misspelt scope cannot turn a limit off.
 */
export function ScopedRateThrottle(scope: string): Throttle {
  return { ...rateThrottle(scope, byUserOrIp), requiresRate: true }
}

/**
 * The `login` scope for endpoints that take a password: counted per address AND per account
 * tried, so a credential-stuffing run is slowed whether it rotates usernames or addresses.
 * `accountFromBody`: `account` reads the body (the username a login tries), so while the scope
 * is limited the pipeline waits for the body.
 */
export function loginThrottle(
  account: Identify,
  { accountFromBody = false }: { accountFromBody?: boolean } = {},
): Throttle {
  const throttle = rateThrottle('login', byIp, async (request) => {
    const name = await account(request)
    return name === null ? null : `account:${name}`
  })
  if (!accountFromBody) return throttle
  // With no rate for the scope nothing is counted, so nothing is read.
  return { ...throttle, readsBody: (request) => Boolean(request.server.throttling.rates.login) }
}
