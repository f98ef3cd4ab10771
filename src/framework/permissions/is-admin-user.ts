import type { Permission } from './permission.ts'

/** Only staff users (`is_staff`). */
export const IsAdminUser: Permission = {
  hasPermission: (request) => request.user?.is_staff === true,
}
