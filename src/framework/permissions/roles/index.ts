export { type RoleGrants, readRoles } from './read-roles.ts'
export { type RoleRequirementOptions, requireRole } from './require-role.ts'
export { requireVisible } from './require-visible.ts'
export { type RoleLadder, roleLadder } from './role-ladder.ts'
export {
  type RoleResolution,
  type RoleScope,
  type RoleScopeOptions,
  type RoleTarget,
  roleScope,
} from './role-scope.ts'
export { childGrantedTo, parentVisibleTo } from './role-visibility.ts'
