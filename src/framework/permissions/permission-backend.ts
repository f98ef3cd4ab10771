import type { RowQuery } from '../resources/viewset.ts'

/** What `whereGranted` narrows a list by: the objects of one type the user holds a codename on. */
export interface GrantScope {
  userId: string
  /** The objects' type as grants name it: `app.model` ("bucketlists.bucketlist"). */
  objectType: string
  /** The permission each listed object needs ("bucketlists.view_bucketlist"). */
  codename: string
  /** The SQL column holding each row's id, compared as text with the grants' object_id. */
  idColumn: string
}

/**
 * Where permission checks find grants (Django's auth backends): provided by the accounts app,
 * which holds the tables, and registered on the server as `app.permissionsBackend`.
 */
export interface PermissionBackend {
  /** The codenames a user holds model-wide, directly and through groups, in one query. */
  permissionsOf(userId: string): Promise<ReadonlySet<string>>
  /** The codenames a user holds on one object, directly and through groups, in one query. */
  objectPermissionsOf(
    userId: string,
    objectType: string,
    objectId: string,
  ): Promise<ReadonlySet<string>>
  /**
   * `query` narrowed, in SQL, to rows the user holds `codename` on: on the object (own or group
   * grant) or model-wide. A subquery of the same statement: no extra round trip, no rows loaded.
   */
  whereGranted<Row>(query: RowQuery<Row>, scope: GrantScope): RowQuery<Row>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where model and object permissions are looked up. */
    permissionsBackend: PermissionBackend
  }
}
