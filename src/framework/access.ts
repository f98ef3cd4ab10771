import type { AuthScheme } from './auth/scheme.ts'
import type { Permission } from './permissions/permission.ts'
import type { View } from './resources/view.ts'
import type { Throttle } from './throttling/throttle.ts'

/** Who may call a route and how often: DRF's authentication, permission and throttle classes. */
export interface AccessPolicy {
  authentication?: readonly AuthScheme[]
  permissions?: readonly Permission[]
  throttles?: readonly Throttle[]
}

/** A route's policy with the server's defaults filled in, resolved once at registration. */
export interface ResolvedAccess {
  readonly authentication: readonly AuthScheme[]
  readonly permissions: readonly Permission[]
  readonly throttles: readonly Throttle[]
  readonly view: View
}

/** Fill a route's policy from the server's defaults. */
export function resolveAccess(
  policy: AccessPolicy,
  defaults: Required<AccessPolicy>,
  view: View,
): ResolvedAccess {
  return {
    authentication: policy.authentication ?? defaults.authentication,
    permissions: policy.permissions ?? defaults.permissions,
    throttles: policy.throttles ?? defaults.throttles,
    view,
  }
}
