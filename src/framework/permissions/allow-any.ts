import type { Permission } from './permission.ts'

/** Anyone, authenticated or not. */
export const AllowAny: Permission = {
  hasPermission: () => true,
}
