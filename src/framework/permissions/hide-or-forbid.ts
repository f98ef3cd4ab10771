import type { FastifyRequest } from 'fastify'
import type { View } from '../resources/view.ts'
import type { ObjectRow, Permission } from './permission.ts'

/**
 * A permission that may ask for its denial to look like a missing object (django-guardian's and
 * DRF's DjangoObjectPermissions' 404): `hides` answers, for the request (and the object at object
 * level), whether the user may not even know the thing exists. The pipeline then answers 404
 * `{"detail":"Not found."}`, the body and headers of a real miss; otherwise the denial is a 403.
 */
export interface HidingPermission extends Permission {
  hides(request: FastifyRequest, view: View, obj?: ObjectRow): boolean | Promise<boolean>
}

/** Whether a permission can hide its denials. */
export function canHide(p: Permission): p is HidingPermission {
  return typeof (p as Partial<HidingPermission>).hides === 'function'
}

/**
 * Whether the denial by `p` must answer 404 rather than 403. A `hides` that throws hides: when in
 * doubt, revealing less is the safe side (the request is refused either way).
 */
export async function deniesAsMissing(
  p: Permission,
  request: FastifyRequest,
  view: View,
  obj?: ObjectRow,
): Promise<boolean> {
  if (!canHide(p)) return false
  try {
    return (await p.hides(request, view, obj)) !== false
  } catch (err) {
    request.log.error({ err }, 'hides() threw; answering 404')
    return true
  }
}

/** `p`, whose every denial answers 404 as if the object or URL did not exist. */
export function hideWhenDenied(p: Permission): HidingPermission {
  return {
    message: p.message,
    hasPermission: p.hasPermission?.bind(p),
    hasObjectPermission: p.hasObjectPermission?.bind(p),
    hides: () => true,
  }
}
