import type { FastifyRequest } from 'fastify'
import { andThen, isPromise, type MaybePromise } from '../maybe-promise.ts'
import type { View } from '../resources/view.ts'
import type { ObjectRow, Permission } from './permission.ts'

/** A check's answer: allowed, denied, or broken (threw, answered a non-boolean, malformed). */
export type Verdict = 'allow' | 'deny' | 'broken'

function verdictOf(answer: unknown): Verdict {
  return answer === true ? 'allow' : answer === false ? 'deny' : 'broken'
}

// A check that answers at once is decided at once; one that returns a promise is awaited.
// Either way a throw or a rejection is 'broken', logged, never a grant.
function verdictOfCall(request: FastifyRequest, what: string, call: () => unknown) {
  let answer: unknown
  try {
    answer = call()
  } catch (err) {
    return broken(request, what, err)
  }
  return isPromise(answer)
    ? answer.then(verdictOf, (err) => broken(request, what, err))
    : verdictOf(answer)
}

function broken(request: FastifyRequest, what: string, err: unknown): Verdict {
  request.log.error({ err }, `${what} threw; denying`)
  return 'broken'
}

/** The view-level verdict of one permission. */
export function viewVerdict(
  p: Permission,
  request: FastifyRequest,
  view: View,
): MaybePromise<Verdict> {
  if (typeof p !== 'object' || p === null) return 'broken'
  if (!p.hasPermission) return 'allow'
  return verdictOfCall(request, 'permission check', () => p.hasPermission!(request, view))
}

/** The object-level verdict of one permission. */
export function objectVerdict(
  p: Permission,
  request: FastifyRequest,
  view: View,
  obj: ObjectRow,
): MaybePromise<Verdict> {
  if (typeof p !== 'object' || p === null) return 'broken'
  if (!p.hasObjectPermission) return 'allow'
  return verdictOfCall(request, 'object permission check', () =>
    p.hasObjectPermission!(request, view, obj),
  )
}

// A broken check must never open the door: only an explicit `true` allows.
/** Whether one permission allows at view level. */
export function viewAllows(p: Permission, request: FastifyRequest, view: View) {
  return andThen(viewVerdict(p, request, view), (v) => v === 'allow')
}

/** Whether one permission allows at object level. */
export function objectAllows(p: Permission, request: FastifyRequest, view: View, obj: ObjectRow) {
  return andThen(objectVerdict(p, request, view, obj), (v) => v === 'allow')
}

/**
 * The first permission of a list whose `allows` answers `wanted`, or null; in order, stopping
 * there, waiting only on answers that are promises.
 */
export function firstAnswering(
  permissions: readonly Permission[],
  allows: (p: Permission) => MaybePromise<boolean>,
  wanted: boolean,
  from = 0,
): MaybePromise<Permission | null> {
  for (let i = from; i < permissions.length; i++) {
    const answer = allows(permissions[i])
    if (isPromise(answer)) {
      return answer.then((allowed) =>
        allowed === wanted ? permissions[i] : firstAnswering(permissions, allows, wanted, i + 1),
      )
    }
    if (answer === wanted) return permissions[i]
  }
  return null
}

/** The first permission of a list that denies at view level, or null when all allow. */
export function firstViewDenial(
  permissions: readonly Permission[],
  request: FastifyRequest,
  view: View,
): MaybePromise<Permission | null> {
  return firstAnswering(permissions, (p) => viewAllows(p, request, view), false)
}

/** The first permission of a list that denies at object level, or null when all allow. */
export function firstObjectDenial(
  permissions: readonly Permission[],
  request: FastifyRequest,
  view: View,
  obj: ObjectRow,
): MaybePromise<Permission | null> {
  return firstAnswering(permissions, (p) => objectAllows(p, request, view, obj), false)
}
