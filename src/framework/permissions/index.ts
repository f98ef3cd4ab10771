export { AllowAny } from './allow-any.ts'
export {
  actionForMethod,
  CODENAME,
  codenameFor,
  type ModelAction,
  OBJECT_TYPE,
} from './codenames.ts'
export { and, not, or } from './compose.ts'
export { declaredPermissions } from './declared-permissions.ts'
export {
  type ExposedPermissions,
  exposedPermissions,
  type PermissionMap,
  permissionsOf,
} from './declared-permissions-field.ts'
export {
  type DeclaredRules,
  declarePermissions,
  type GlobalRule,
  type ObjectRule,
  type RuleSet,
  ruleFor,
} from './declared-rules.ts'
export { firstObjectDenial, firstViewDenial, objectAllows, viewAllows } from './evaluate.ts'
export {
  canHide,
  deniesAsMissing,
  type HidingPermission,
  hideWhenDenied,
} from './hide-or-forbid.ts'
export { IsAdminUser } from './is-admin-user.ts'
export { IsAuthenticated } from './is-authenticated.ts'
export { IsAuthenticatedOrReadOnly } from './is-authenticated-or-read-only.ts'
export { IsOwner, isOwner, type OwnerOptions } from './is-owner.ts'
export { IsOwnerOrReadOnly, isOwnerOrReadOnly } from './is-owner-or-read-only.ts'
export {
  type ModelPermissionOptions,
  ModelPermissions,
  ModelPermissionsOrAnonReadOnly,
  modelPermissions,
} from './model-permissions.ts'
export {
  type ObjectPermissionOptions,
  ObjectPermissions,
  objectPermissions,
} from './object-permissions.ts'
export { objectsVisibleTo, type VisibleObjects } from './objects-visible-to.ts'
export type { ObjectRow, Permission } from './permission.ts'
export type { GrantScope, PermissionBackend } from './permission-backend.ts'
export { SAFE_METHODS } from './safe-methods.ts'
export { userObjectPermissions, userPermissions } from './user-permissions.ts'
