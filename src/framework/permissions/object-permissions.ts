import type { FastifyRequest } from 'fastify'
import { actionForMethod, codenameFor } from './codenames.ts'
import type { HidingPermission } from './hide-or-forbid.ts'
import type { ObjectRow } from './permission.ts'
import { SAFE_METHODS } from './safe-methods.ts'
import { userObjectPermissions, userPermissions } from './user-permissions.ts'

/** Options of `objectPermissions`. */
export interface ObjectPermissionOptions {
  /** The model as `app.model`, which is also the grants' object type; the view's name by default. */
  model?: string
  /** The object's id field, compared as text with the grants' object_id; `id` by default. */
  idField?: string
  /** Whether reading an object needs its `view` permission; yes by default (guardian's use). */
  viewRequired?: boolean
  message?: string
}

/**
 * DRF's DjangoObjectPermissions over django-guardian's grants: reading an object needs `view` on
 * it, PUT/PATCH `change`, DELETE `delete`, creating needs the model-wide `add`. A grant on the
 * object (to the user or a group) or the same permission model-wide counts; superusers pass. A
 * user who may not even read the object gets 404, as if it did not exist; otherwise 403.
 */
export function objectPermissions(options: ObjectPermissionOptions = {}): HidingPermission {
  const viewRequired = options.viewRequired ?? true
  const modelOf = (name: string) => options.model ?? name

  async function holds(request: FastifyRequest, model: string, obj: ObjectRow, codename: string) {
    if ((await userPermissions(request)).has(codename)) return true
    const id = String(obj[options.idField ?? 'id'])
    return (await userObjectPermissions(request, model, id)).has(codename)
  }

  return {
    message: options.message,
    async hasPermission(request, view) {
      // Object grants are held by users: anonymous requests are refused (401 by the pipeline).
      if (request.user === null) return false
      if (request.user.is_superuser || request.method !== 'POST') return true
      // There is no object yet to hold a grant on: creating needs the model-wide `add`.
      return (await userPermissions(request)).has(codenameFor(modelOf(view.name), 'add'))
    },
    async hasObjectPermission(request, view, obj) {
      if (request.user === null) return false
      const action = actionForMethod(request.method, viewRequired)
      if (request.user.is_superuser || action === null) return true
      const model = modelOf(view.name)
      return holds(request, model, obj, codenameFor(model, action))
    },
    async hides(request, view, obj) {
      // A view-level refusal (POST without `add`) names no object: it is a plain 403.
      if (obj === undefined || request.user === null) return false
      // DRF: a denied read is a 404; a denied write is a 404 too unless the user may read it.
      if (SAFE_METHODS.has(request.method)) return true
      if (!viewRequired) return false
      const model = modelOf(view.name)
      return !(await holds(request, model, obj, codenameFor(model, 'view')))
    },
  }
}

/** Object permissions named after the view, reads needing `view` on the object. */
export const ObjectPermissions: HidingPermission = objectPermissions()
