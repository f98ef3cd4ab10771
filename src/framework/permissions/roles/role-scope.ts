import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/tables.ts'
import { type RoleGrants, readRoles } from './read-roles.ts'
import type { RoleLadder } from './role-ladder.ts'

/** Where the grants of a role scope live and which URL parameters name its objects. */
export interface RoleScopeOptions<R extends string> {
  ladder: RoleLadder<R>
  /** The parent (an organization): its URL parameter and the table of roles granted on it. */
  parent: { param: string; grants: RoleGrants }
  /** The child (a project): its table, its column naming the parent, and its own grants. */
  child: { param: string; table: string; key?: string; parentKey: string; grants: RoleGrants }
  /** Whether a raw URL value can be a key at all; one that cannot names nothing (404). */
  isKey?: (raw: string) => boolean
}

/** The requester's roles around one parent (and maybe one of its children), read in one query. */
export interface RoleResolution<R extends string> {
  /** The role granted on the parent itself. */
  readonly parent: R | null
  /** Whether the requester sees the parent: a role on it or on one of its children. */
  readonly seesParent: boolean
  /** The role granted on the child alone (null without a child). */
  readonly child: R | null
  /** Whether the child exists and belongs to the parent. */
  readonly childExists: boolean
  /** The role that counts on the child: the higher of the parent's and the child's own. */
  readonly onChild: R | null
}

/** The ids a resolution is about; the scope reads them from the URL when not given. */
export interface RoleTarget {
  parentId?: string
  childId?: string
}

/** Roles on parents and children, resolved once per request and target. */
export interface RoleScope<R extends string> {
  readonly ladder: RoleLadder<R>
  readonly options: RoleScopeOptions<R>
  /** The requester's roles on the URL's parent and child (or `target`'s); cached on the request. */
  roleOn(request: FastifyRequest, target?: RoleTarget): Promise<RoleResolution<R>>
}

// Per-request state lives with the request: the map goes away with it, the scope keeps none.
const resolutions = new WeakMap<FastifyRequest, Map<string, Promise<unknown>>>()

function param(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : undefined
}

/** Declare a role scope: a ladder of roles granted on parents and on single children. */
export function roleScope<R extends string>(options: RoleScopeOptions<R>): RoleScope<R> {
  const usable = (raw: string | undefined) =>
    raw === undefined || !options.isKey || options.isKey(raw)

  async function resolve(
    request: FastifyRequest,
    parentId: string | undefined,
    childId: string | undefined,
  ): Promise<RoleResolution<R>> {
    const user = request.user
    // No user, no parent, or a key that names nothing: no role, and no query to find that out.
    if (!user || parentId === undefined || !usable(parentId) || !usable(childId)) {
      return { parent: null, seesParent: false, child: null, childExists: false, onChild: null }
    }
    const db = request.server.db as Kysely<Tables>
    const row = await readRoles(db, options, user.id, parentId, childId ?? null)
    const parent = options.ladder.isRole(row.parentRole) ? row.parentRole : null
    const child = options.ladder.isRole(row.childRole) ? row.childRole : null
    const childExists = childId !== undefined && row.childExists
    return {
      parent,
      seesParent: parent !== null || row.childGrantInParent,
      child,
      childExists,
      onChild: childExists ? options.ladder.higher(parent, child) : null,
    }
  }

  return {
    ladder: options.ladder,
    options,
    roleOn(request, target = {}) {
      const parentId = target.parentId ?? param(request, options.parent.param)
      const childId = target.childId ?? param(request, options.child.param)
      const key = `${parentId ?? ''}\u0000${childId ?? ''}`
      let cache = resolutions.get(request)
      if (cache === undefined) {
        cache = new Map<string, Promise<unknown>>()
        resolutions.set(request, cache)
      }
      let pending = cache.get(key) as Promise<RoleResolution<R>> | undefined
      if (pending === undefined) {
        pending = resolve(request, parentId, childId)
        cache.set(key, pending)
      }
      return pending
    },
  }
}
