import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { RowQuery } from '../resources/viewset.ts'
import { codenameFor } from './codenames.ts'
import { permissionBackend } from './user-permissions.ts'

/** What `objectsVisibleTo` scopes by. */
export interface VisibleObjects {
  /** The grants' object type, `app.model` ("bucketlists.bucketlist"). */
  objectType: string
  /** The SQL column of each row's id ("bucketlists.id"). */
  idColumn: string
  /** The permission a listed object needs; `view` on the object type by default. */
  codename?: string
}

/**
 * Scope a list to the objects the requesting user may see (django-guardian's
 * get_objects_for_user), in the list's own SQL statement: one query per page, whatever the grants.
 */
export function objectsVisibleTo<Row>(
  request: FastifyRequest,
  query: RowQuery<Row>,
  scope: VisibleObjects,
): RowQuery<Row> {
  // Anonymous users hold no grant: they see nothing (the view usually refused them already).
  if (request.user === null) return query.where(sql<boolean>`1 = 0`)
  // Superusers see everything, as they hold every permission.
  if (request.user.is_superuser) return query
  return permissionBackend(request).whereGranted(query, {
    userId: request.user.id,
    objectType: scope.objectType,
    codename: scope.codename ?? codenameFor(scope.objectType, 'view'),
    idColumn: scope.idColumn,
  })
}
