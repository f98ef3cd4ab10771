import type { Permission } from './permission.ts'

/** Options of `isOwner`: the owner column and the denial message. */
export interface OwnerOptions {
  field?: string
  message?: string
}

/** Only the object's owner: `obj[view.ownerField ?? 'owner_id']` must be the user's id. */
export function isOwner(options: OwnerOptions = {}): Permission {
  return {
    message: options.message,
    hasObjectPermission(request, view, obj) {
      const field = options.field ?? view.ownerField ?? 'owner_id'
      return request.user !== null && obj[field] === request.user.id
    },
  }
}

/** Only the object's owner, with DRF's default message. */
export const IsOwner: Permission = isOwner()
