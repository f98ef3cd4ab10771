import type { FastifyRequest } from 'fastify'
import type { HidingPermission } from '../hide-or-forbid.ts'
import type { RoleResolution, RoleScope } from './role-scope.ts'

/** Where a role requirement reads the requester's role, and who may know the object exists. */
export interface RoleRequirementOptions {
  /**
   * `parent` (default): the role granted on the parent; whoever has a role on the parent or on
   * one of its children sees it. `child`: the higher of the parent's and the child's role; only
   * those with one see the child.
   */
  on?: 'parent' | 'child'
  /** Hide the parent from users whose only grants are on its children (its people, say). */
  parentGrantsOnly?: boolean
}

/**
 * A permission that hides or forbids by role: a requester with no role where it counts gets 404,
 * exactly as for a missing object; one whose role is below `needed` gets 403. With `needed` null,
 * any role that makes the object visible passes.
 */
export function requireRole<R extends string>(
  scope: RoleScope<R>,
  needed: R | null,
  options: RoleRequirementOptions = {},
): HidingPermission {
  const hidden = (r: RoleResolution<R>) =>
    options.on === 'child'
      ? r.onChild === null
      : options.parentGrantsOnly
        ? r.parent === null
        : !r.seesParent
  const role = (r: RoleResolution<R>) => (options.on === 'child' ? r.onChild : r.parent)
  const allows = async (request: FastifyRequest) => {
    const r = await scope.roleOn(request)
    return !hidden(r) && (needed === null || scope.ladder.atLeast(role(r), needed))
  }
  return {
    hasPermission: allows,
    // Not knowing the object is told apart from a low role only by this: never by the body.
    hides: async (request) => hidden(await scope.roleOn(request)),
  }
}
