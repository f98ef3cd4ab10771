import type { TObject, TSchema } from '@sinclair/typebox'
import type { AccessPolicy, ResolvedAccess } from './access.ts'
import type { AuthScheme } from './auth/scheme.ts'
import type { SessionStore } from './auth/session-store.ts'
import type { AuthUser, UserBackend } from './auth/user.ts'
import type { Database } from './db/database.ts'
import type { MediaStorage } from './files/media-storage.ts'
import type { Mailer } from './mail/mailer.ts'
import type { MaybePromise } from './maybe-promise.ts'
import type { ObjectRow } from './permissions/permission.ts'
import type { Format } from './render/negotiation.ts'
import type { ListFilters } from './resources/list-filters.ts'
import type { PageNumberLink } from './resources/paginators/page-links.ts'
import type { View } from './resources/view.ts'
import type { RouteTable } from './route-table.ts'
import type { FieldMap } from './schema/resource-schema.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user, or null for an anonymous request. */
    user: AuthUser | null
    /** The credential that authenticated the request: a token record, JWT claims, a session. */
    auth: unknown
    /** The scheme that authenticated the request, or null. */
    authenticator: AuthScheme | null
    /** The route's resolved access policy, set before the handler runs. */
    access: ResolvedAccess
    /** What the answer is rendered as, once negotiated (null before). */
    format: Format | null
    /** The object the object-level checks passed for, if any (for the browsable page's forms). */
    checkedObject: ObjectRow | null
    /** A numbered list's page links, set for the browsable page only (DRF's page list). */
    pageNumberLinks: PageNumberLink[] | null
  }
  interface FastifyInstance {
    /** Where authentication schemes find users. */
    users: UserBackend
    /** Where server-side sessions live. */
    sessions: SessionStore
    /** The database of this server. */
    db: Database
    /** The server's SECRET_KEY: the key behind one-time tokens (activation, password reset). */
    secretKey: string
    /** Where the server's mail goes. */
    mailer: Mailer
    /** Where uploaded files are kept, when the server has a `media` setting. */
    media: MediaStorage
    /** Every route by method and path (405s, OPTIONS, the browsable API's forms). */
    routeTable: RouteTable
  }
  interface FastifyContextConfig extends AccessPolicy {
    /** The view this route serves: its name and action, read by permissions. */
    view?: View
    /**
     * The policy of the route's path as a whole, for the answers no route of it gives (OPTIONS,
     * 405): a viewset's own where its actions have policies of their own (DRF's get_permissions
     * when `action` is 'metadata' or None); the route's own policy by default.
     */
    pathPolicy?: AccessPolicy
    /**
     * The JSON Schema of the request body, for OpenAPI and the browsable API's forms; not
     * validated by Fastify (the handler validates, with DRF's messages).
     */
    body?: TSchema
    /** The query parameters the route reads, for OpenAPI (an object schema); not validated. */
    query?: TObject
    /** What a list lets the client filter by, for the browsable page's Filters dialog. */
    listFilters?: ListFilters
    /** One line on what the route does, for OpenAPI and the browsable page. */
    summary?: string
    /**
     * Answers the route gives besides `schema.response` and the pipeline's errors, for OpenAPI
     * only (nothing is serialized with them): status → the body's JSON Schema; null for no body,
     * or for an error status, the pipeline's error body (`{"detail"}`, or field errors on 400).
     */
    responses?: Record<number, TSchema | null>
    /** The resource schema's fields the route writes with, for OPTIONS' `actions`. */
    serializer?: FieldMap
    /** Load the URL's object with its scope and object checks, for OPTIONS (DRF's get_object). */
    loadObject?: (request: FastifyRequest) => MaybePromise<ObjectRow>
    /** `false` keeps the route out of the OpenAPI document (HTML pages, files). */
    openapi?: boolean
    /** The route is an API root (`apiRootRoute`): the server's root page links to it. */
    apiRoot?: boolean
    /** `false` keeps the answer JSON even when the browsable page was negotiated. */
    browsable?: boolean
  }
}
