import type { Permission } from './permission.ts'

/** Only authenticated users. */
export const IsAuthenticated: Permission = {
  hasPermission: (request) => request.user !== null,
}
