import { isOwner, type OwnerOptions } from './is-owner.ts'
import type { Permission } from './permission.ts'
import { SAFE_METHODS } from './safe-methods.ts'

/** Anyone the view lets in may read an object; only its owner may change it. */
export function isOwnerOrReadOnly(options: OwnerOptions = {}): Permission {
  const owner = isOwner(options)
  return {
    message: options.message,
    hasObjectPermission(request, view, obj) {
      return SAFE_METHODS.has(request.method) || owner.hasObjectPermission!(request, view, obj)
    },
  }
}

/** Read for all, write for the owner. */
export const IsOwnerOrReadOnly: Permission = isOwnerOrReadOnly()
