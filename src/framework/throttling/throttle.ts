import type { FastifyRequest } from 'fastify'
import type { MaybePromise } from '../maybe-promise.ts'
import type { ReadsBody } from '../reads-body.ts'
import type { View } from '../resources/view.ts'

/**
 * A rate limit (DRF's throttles): `check` answers null to let the request through, or the number
 * of seconds until it would be allowed. One that counts by something in the body says so with
 * `readsBody`.
 */
export interface Throttle extends ReadsBody {
  readonly scope: string
  /**
   * A rate for `scope` must be configured, or the server refuses to start (DRF's
   * ScopedRateThrottle raises ImproperlyConfigured); otherwise a scope with no rate is unlimited.
   */
  readonly requiresRate?: boolean
  check(request: FastifyRequest, view: View): MaybePromise<number | null>
}
