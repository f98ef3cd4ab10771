import type { FastifyRequest } from 'fastify'
import type { HidingPermission } from '../hide-or-forbid.ts'
import type { RoleScope } from './role-scope.ts'

/**
 * A permission for a viewset as a whole, list and detail paths alike: what its URL names must be
 * visible to the requester, or it is hidden (404) as a missing object is. A URL naming a child
 * needs a role on the child or its parent; one naming only a parent, a role on the parent or on
 * one of its children; one naming neither (the list of parents) has nothing to hide, and passes.
 * Put it beside a role requirement per action: `requireRole` says how high, this says "seen".
 */
export function requireVisible<R extends string>(scope: RoleScope<R>): HidingPermission {
  const { parent, child } = scope.options
  const named = (request: FastifyRequest, param: string) =>
    (request.params as Record<string, unknown> | undefined)?.[param] !== undefined
  const hidden = async (request: FastifyRequest) => {
    if (named(request, child.param)) return (await scope.roleOn(request)).onChild === null
    if (named(request, parent.param)) return !(await scope.roleOn(request)).seesParent
    return false
  }
  return {
    hasPermission: async (request) => !(await hidden(request)),
    hides: hidden,
  }
}
