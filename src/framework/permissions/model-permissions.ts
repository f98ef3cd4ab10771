import { actionForMethod, codenameFor } from './codenames.ts'
import type { Permission } from './permission.ts'
import { userPermissions } from './user-permissions.ts'

/** Options of `modelPermissions`. */
export interface ModelPermissionOptions {
  /** The model as `app.model` ("bucketlists.bucketlist"); the view's name by default. */
  model?: string
  /** Whether reading (GET, HEAD, OPTIONS) needs the `view` permission; DRF: no. */
  viewRequired?: boolean
  /** Whether an anonymous user may do what needs no permission (DRF's …OrAnonReadOnly). */
  anonymousReads?: boolean
  message?: string
}

/**
 * DRF's DjangoModelPermissions: POST needs `add`, PUT/PATCH `change`, DELETE `delete`, reads
 * `view` when configured, held directly or through a group; superusers pass.
 */
export function modelPermissions(options: ModelPermissionOptions = {}): Permission {
  return {
    message: options.message,
    async hasPermission(request, view) {
      const action = actionForMethod(request.method, options.viewRequired ?? false)
      // Anonymous users hold no grant; only the OrAnonReadOnly variant lets them read freely.
      if (request.user === null) return options.anonymousReads === true && action === null
      // Superusers hold every permission, as in Django.
      if (request.user.is_superuser || action === null) return true
      const held = await userPermissions(request)
      return held.has(codenameFor(options.model ?? view.name, action))
    },
  }
}

/** Model permissions named after the view, reads free for authenticated users. */
export const ModelPermissions: Permission = modelPermissions()

/** Model permissions, and anonymous users may read (DRF's DjangoModelPermissionsOrAnonReadOnly). */
export const ModelPermissionsOrAnonReadOnly: Permission = modelPermissions({
  anonymousReads: true,
})
