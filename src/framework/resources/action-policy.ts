import type { AccessPolicy } from '../access.ts'
import { SetupError } from '../setup-errors.ts'
import type { ActionPolicies } from './viewset.ts'

/** What a viewset of either kind (a table's, or objects of a store) declares of its policies. */
export interface PolicySource extends AccessPolicy {
  basename: string
  policies?: ActionPolicies
}

/**
 * The policy of one action of a viewset (DRF's get_authenticators, get_permissions and
 * get_throttles by `self.action`): each of its three parts is the action's own (an extra
 * action's fields), else the viewset's `policies[action]`, else the viewset's; what is still
 * unset is the server's default, filled in when the route is registered.
 */
export function actionPolicy(
  vs: PolicySource,
  action: string,
  own: AccessPolicy = {},
): AccessPolicy {
  const given = vs.policies?.[action] ?? {}
  return {
    authentication: own.authentication ?? given.authentication ?? vs.authentication,
    permissions: own.permissions ?? given.permissions ?? vs.permissions,
    throttles: own.throttles ?? given.throttles ?? vs.throttles,
  }
}

/** The viewset's own policy: what answers for its paths where no action does (OPTIONS, 405). */
export function viewsetPolicy(vs: PolicySource): AccessPolicy {
  return {
    authentication: vs.authentication,
    permissions: vs.permissions,
    throttles: vs.throttles,
  }
}

/**
 * Every policy must name an action the viewset serves: a misspelt or stale name would leave the
 * action it meant under the viewset's policy without a word.
 */
export function checkPolicies(vs: PolicySource, actions: readonly string[]) {
  for (const name of Object.keys(vs.policies ?? {})) {
    if (!actions.includes(name)) {
      throw new SetupError('ERR_VIEWSET_POLICY', vs.basename, name, actions.join(', '))
    }
  }
}
