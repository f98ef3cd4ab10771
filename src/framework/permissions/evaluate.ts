import type { FastifyRequest } from 'fastify'
import type { View } from '../resources/view.ts'
import type { ObjectRow, Permission } from './permission.ts'

/** A check's answer: allowed, denied, or broken (threw, answered a non-boolean, malformed). */
export type Verdict = 'allow' | 'deny' | 'broken'

function verdictOf(answer: unknown): Verdict {
  return answer === true ? 'allow' : answer === false ? 'deny' : 'broken'
}

/** The view-level verdict of one permission. */
export async function viewVerdict(
  p: Permission,
  request: FastifyRequest,
  view: View,
): Promise<Verdict> {
  if (typeof p !== 'object' || p === null) return 'broken'
  if (!p.hasPermission) return 'allow'
  try {
    return verdictOf(await p.hasPermission(request, view))
  } catch (err) {
    request.log.error({ err }, 'permission check threw; denying')
    return 'broken'
  }
}

/** The object-level verdict of one permission. */
export async function objectVerdict(
  p: Permission,
  request: FastifyRequest,
  view: View,
  obj: ObjectRow,
): Promise<Verdict> {
  if (typeof p !== 'object' || p === null) return 'broken'
  if (!p.hasObjectPermission) return 'allow'
  try {
    return verdictOf(await p.hasObjectPermission(request, view, obj))
  } catch (err) {
    request.log.error({ err }, 'object permission check threw; denying')
    return 'broken'
  }
}

// A broken check must never open the door: only an explicit `true` allows.
/** Whether one permission allows at view level. */
export async function viewAllows(p: Permission, request: FastifyRequest, view: View) {
  return (await viewVerdict(p, request, view)) === 'allow'
}

/** Whether one permission allows at object level. */
export async function objectAllows(
  p: Permission,
  request: FastifyRequest,
  view: View,
  obj: ObjectRow,
) {
  return (await objectVerdict(p, request, view, obj)) === 'allow'
}

/** The first permission of a list that denies at view level, or null when all allow. */
export async function firstViewDenial(
  permissions: readonly Permission[],
  request: FastifyRequest,
  view: View,
): Promise<Permission | null> {
  for (const p of permissions) {
    if (!(await viewAllows(p, request, view))) return p
  }
  return null
}

/** The first permission of a list that denies at object level, or null when all allow. */
export async function firstObjectDenial(
  permissions: readonly Permission[],
  request: FastifyRequest,
  view: View,
  obj: ObjectRow,
): Promise<Permission | null> {
  for (const p of permissions) {
    if (!(await objectAllows(p, request, view, obj))) return p
  }
  return null
}
