import type { FastifyRequest } from 'fastify'
import type { MaybePromise } from '../maybe-promise.ts'
import type { Scoping } from './list-plan.ts'

/**
 * A scope for lists alone: "list your own, and let a detail URL load any row for the object
 * permissions to answer" (403 "Not an owner." rather than 404), as DRF's
 * `get_queryset` does when it filters only `if self.action == 'list'`. Compiled once per shape
 * like any scope: a detail asks the unscoped shape.
 *
 * ```ts
 * scope: listsOnly((request) => ({ 'notes.owner_id': request.user!.id })),
 * ```
 */
export function listsOnly(
  scope: (request: FastifyRequest) => MaybePromise<Scoping | null>,
): (request: FastifyRequest) => MaybePromise<Scoping | null> {
  const narrowed = (request: FastifyRequest) =>
    request.access.view.action === 'list' ? scope(request) : null
  return Object.assign(narrowed, { [LISTS_ONLY]: true })
}

const LISTS_ONLY = Symbol('listsOnly')

/**
 * Whether a scope narrows lists alone: a single object is then looked up unscoped, whatever the
 * request's action, as when a nested child's list loads its parent.
 */
export function narrowsListsOnly(scope: unknown): boolean {
  return typeof scope === 'function' && LISTS_ONLY in scope
}
