/**
 * The RBAC project list's access rule, by hand for both bare baselines (the rule of
 * src/apps/rbac and API.md §8): a role on the organization sees every project, a grant on one
 * of its projects sees the projects granted, anyone else is told the organization is not there.
 */
import type { FastifyReply } from 'fastify'

/** The roles statement's row (SQL.rbacRoles): SQLite answers its `exists` with 0 or 1. */
export interface RolesRow {
  parent_role: string | null
  child_grant_in_parent: number | boolean
}

/** A UUID as the URLs carry it: anything else names no organization (404 without a query). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Which projects the requester sees, or null after sending the 404. */
export function projectsVisible(
  row: RolesRow | undefined,
  reply: FastifyReply,
): 'all' | 'granted' | null {
  if (row?.parent_role) return 'all'
  if (row?.child_grant_in_parent) return 'granted'
  reply.code(404).send({ detail: 'Not found.' })
  return null
}
