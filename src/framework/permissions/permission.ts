import type { FastifyRequest } from 'fastify'
import type { ReadsBody } from '../reads-body.ts'
import type { View } from '../resources/view.ts'

/** An object as loaded for object-level checks: a row of the view's queryset. */
export type ObjectRow = Record<string, unknown>

/**
 * One access policy (DRF's BasePermission): a view-level check before the object is loaded and an
 * object-level check after; a missing method allows. Anything but `true` denies, a throw too.
 * One whose view-level check reads the body says so with `readsBody`.
 */
export interface Permission extends ReadsBody {
  /** The 403 detail when this permission denies; DRF's default when unset. */
  readonly message?: string
  hasPermission?(request: FastifyRequest, view: View): boolean | Promise<boolean>
  hasObjectPermission?(
    request: FastifyRequest,
    view: View,
    obj: ObjectRow,
  ): boolean | Promise<boolean>
}
