import type { Permission } from './permission.ts'
import { SAFE_METHODS } from './safe-methods.ts'

/** Anyone may read; only authenticated users may write. */
export const IsAuthenticatedOrReadOnly: Permission = {
  hasPermission: (request) => SAFE_METHODS.has(request.method) || request.user !== null,
}
