import { requireRole, requireVisible } from 'portcullis'
import { type Role, rbacRoles } from './roles.ts'

// Every check below hides (404) from a requester with no role where it counts and forbids (403)
// a role that is too low: the order of checks of API.md §8, decided before any handler runs.

/** Seen by whoever has a role on the organization or on one of its projects; `role` on the organization. */
export const onOrganization = (role: Role | null = null) => requireRole(rbacRoles, role)

/** The organization's people: hidden from project-only grants. */
export const onOrganizationMembers = (role: Role) =>
  requireRole(rbacRoles, role, { parentGrantsOnly: true })

/** One project: the higher of the organization's and the project's own role. */
export const onProject = (role: Role) => requireRole(rbacRoles, role, { on: 'child' })

/** The organization or project a URL names is one you see (a list of organizations names none). */
export const seesWhatTheUrlNames = requireVisible(rbacRoles)
