import type { TSchema } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify'
import type { SelectQueryBuilder, Transaction } from 'kysely'
import type { AccessPolicy } from '../access.ts'
import type { Database } from '../db/database.ts'
import type { Tables } from '../db/tables.ts'
import type { MaybePromise } from '../maybe-promise.ts'
import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap, Input, ResourceSchema } from '../schema/resource-schema.ts'
import type { FilterFields } from './field-filters/field-filters.ts'
import type { Related, Scoping } from './list-plan.ts'
import type { Pagination } from './paginators/paginator.ts'

/** A row as its table stores it, as `save` answers it: its key included. */
export type SavedRow = Record<string, unknown>

/** Writes a create's or an update's values in the request's transaction (DRF's serializer.save). */
export type SaveRow = (values: Record<string, unknown>) => Promise<SavedRow>

/** What a save hook answers: the values for the framework to write, or nothing once it saved. */
// biome-ignore lint/suspicious/noConfusingVoidType: an async hook that saved itself returns void
export type SaveValues = Record<string, unknown> | undefined | void

/** The generic actions a viewset can offer (DRF's mixins). */
export type GenericAction = 'list' | 'create' | 'retrieve' | 'update' | 'partial_update' | 'destroy'

// biome-ignore lint/suspicious/noExplicitAny: a query over any tables; rows stay typed by Row
export type RowQuery<Row> = SelectQueryBuilder<any, any, Row>

/** What a custom action's handler gets besides the request and reply. */
export interface ActionContext<Row> {
  /** Load the object of a detail action, scoped and checked (404, then object permissions). */
  getObject(): Promise<Row>
}

/** What OpenAPI and the browsable API show of a custom action (see FastifyContextConfig). */
type Documented = Pick<FastifyContextConfig, 'body' | 'query' | 'summary' | 'responses'>

/** What OpenAPI and OPTIONS say of one action: its summary, its body, answers it adds. */
export type ActionDocs = Pick<FastifyContextConfig, 'summary' | 'body' | 'responses'>

/**
 * The work of an action: what it answers (or sends with `reply`). Written as a method, so a
 * viewset of rows of its own type is still a viewset of rows (as DRF's duck typing has it).
 */
export type ActionHandler<Row> = {
  handle(request: FastifyRequest, reply: FastifyReply, context: ActionContext<Row>): unknown
}['handle']

/** A method an extra action answers. */
export type ActionMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What one method of an extra action does and says differently (DRF's `@action.mapping`). */
export interface MethodMapping<Row> extends AccessPolicy, Documented {
  handler?: ActionHandler<Row>
}

/** An extra endpoint on a viewset (DRF's @action). */
export interface CustomAction<Row> extends AccessPolicy, Documented {
  /** Mounted on `/{prefix}/{pk}/{path}/` when true, else on `/{prefix}/{path}/`. */
  detail: boolean
  methods: ActionMethod[]
  /** URL segment; the action's name by default. */
  path?: string
  handler: ActionHandler<Row>
  /**
   * Per method, a handler, policy or documentation of its own over the action's (DRF's
   * `@me.mapping.delete`); the view's action is this action's name whatever the method.
   */
  mapping?: Partial<Record<ActionMethod, MethodMapping<Row>>>
}

/**
 * Policies by action name: a generic action's (list, create, retrieve, update, partial_update,
 * destroy) or an extra action's. Each part a policy leaves out is the viewset's.
 */
export type ActionPolicies = Partial<Record<GenericAction | (string & {}), AccessPolicy>>

/** Everything a viewset declares; hooks have defaults, so most viewsets are a few lines. */
export interface ViewsetDefinition<F extends FieldMap, Row extends ObjectRow> extends AccessPolicy {
  /** Names the routes and the view permissions see ("bucketlist"). */
  basename: string
  /** The table that create/update/destroy write. */
  table: keyof Tables & string
  schema: ResourceSchema<F>
  /** The primary-key field of the schema; `id` by default. */
  pk?: keyof F & string
  /**
   * The field a detail URL names the object by (DRF's lookup_field), e.g. a `slug` or a `uuid`:
   * a field declared `unique`; the URL parameter takes its name. The primary key (`:pk`) by
   * default.
   */
  lookupField?: keyof F & string
  /**
   * The URL parameter that holds the lookup value (DRF's lookup_url_kwarg), where it differs from
   * the field's name: `lookupParam: 'org_id'` serves `/organizations/{org_id}/`. A plain name.
   */
  lookupParam?: string
  /** The generic actions offered; all six by default. */
  actions?: GenericAction[]
  /** Column whose value IsOwner compares with the user's id; `owner_id` by default. */
  ownerField?: string
  /**
   * The unscoped query of every object, with the columns the schema shows (and joins). Built once
   * per database and reused: what depends on the request or the time belongs in `scope` (or, where
   * a scope cannot say it, `perRequestQuery`).
   */
  query(db: Database): RowQuery<Row>
  /**
   * Which rows this request may see (DRF's get_queryset): the column values every one must have
   * (Django's `.filter(owner=user)`), e.g. `{ 'bucketlists.owner_id': request.user!.id }`; a list
   * of them for rows that match any one (`Q(a) | Q(b)`); null for every row. It holds for lists,
   * details and writes alike; wrap it in `listsOnly(...)` to narrow lists alone and leave details
   * to the object permissions. Its SQL is compiled once per shape (the columns). It may answer a
   * promise when the rule needs a lookup first (a role read by the permissions, cached on the
   * request): each shape it answers is still compiled once.
   */
  scope?(request: FastifyRequest): MaybePromise<Scoping | null>
  /**
   * Rows related to each object that `scope` may name as `{name}.{column}` (Django's
   * `.filter(members__user=user)`), by name: each builds the related rows correlated to the
   * object's row, e.g. `members: (eb) => eb.selectFrom('org_members as members')
   * .whereRef('members.organization_id', '=', 'organizations.id')`. Matched with EXISTS, so an
   * object is listed once however many of its related rows match; compiled once per shape.
   */
  related?: Related
  /**
   * The escape hatch for a rule `scope` cannot say (a join on the requester, a subquery): narrow
   * `query`, already scoped, with Kysely. Its SQL is built on every request, so lists and details
   * of such a viewset pay a query build each time.
   */
  perRequestQuery?(request: FastifyRequest, query: RowQuery<Row>): RowQuery<Row>
  /**
   * Create the object (DRF's perform_create), in the request's transaction: return the values to
   * insert (e.g. the input with its owner), or call `save(values)`, which inserts them and answers
   * the saved row as stored, with its key, to write related rows after it. Default: the input.
   */
  performCreate?(
    request: FastifyRequest,
    data: Input<F>,
    trx: Transaction<Tables>,
    save: SaveRow,
  ): SaveValues | Promise<SaveValues>
  /**
   * Update the object (DRF's perform_update), in the request's transaction: return the columns to
   * set, or call `save(values)`, which sets them and answers the saved row. Default: the input.
   */
  performUpdate?(
    request: FastifyRequest,
    data: Input<F>,
    obj: Row,
    trx: Transaction<Tables>,
    save: SaveRow,
  ): SaveValues | Promise<SaveValues>
  /** Delete the object, in the request's transaction; default: delete its row. */
  performDestroy?(request: FastifyRequest, obj: Row, trx: Transaction<Tables>): Promise<void>
  /** Add related data to loaded rows (Django's prefetch_related), e.g. lists of child ids. */
  prefetch?(rows: Row[], db: Database): Promise<void>
  /**
   * Decorate loaded rows for this request just before they are serialized, in lists, details and
   * create/update answers (e.g. the `permissions` a user has on each); the schema must declare
   * what it adds, or the serializer drops it.
   */
  present?(request: FastifyRequest, rows: Row[]): void | Promise<void>
  /**
   * `?ordering=` names mapped to SQL columns, and the default order (Django's Meta.ordering);
   * without `fields` the list keeps its default order and takes no `?ordering=`.
   */
  ordering?: { fields?: Record<string, string>; default: string[] }
  /** Columns `?search=` looks in. */
  search?: string[]
  /**
   * How the list pages (DRF's pagination_class): `pageNumberPagination({...})` (the default:
   * 20 a page, `?page_size=` up to 100), `limitOffsetPagination({...})`,
   * `cursorPagination({ ordering: '-created' })`, or false for every row in a bare list.
   */
  pagination?: Pagination | false
  /**
   * Field filters (django-filter's filterset_fields), by field name: its lookups, e.g.
   * `{ status: ['exact', 'in'], created: ['gte', 'lte'], parent: ['isnull'] }` for `?status=`,
   * `?status__in=a,b`, `?created__gte=`, `?parent__isnull=true`. Applied within the scope.
   */
  filterFields?: FilterFields
  /** The other query parameters `perRequestQuery` reads, for OpenAPI (each is optional). */
  filters?: Record<string, TSchema>
  /**
   * One-line summaries of the generic actions, by name, for OpenAPI, OPTIONS and the browsable
   * API (drf-spectacular's `extend_schema_view(list=extend_schema(summary=...))`); an action left
   * out is summarized from the viewset's name ("Show a project").
   */
  summaries?: Partial<Record<GenericAction, string>>
  /** Extra endpoints by name. */
  extraActions?: Record<string, CustomAction<Row>>
  /**
   * Schemes, permissions and throttles of single actions (DRF's get_authenticators,
   * get_permissions and get_throttles by `self.action`), e.g. `{ destroy: { permissions:
   * [IsAdminUser] } }`; an extra action's own fields come before its entry here.
   */
  policies?: ActionPolicies
  /**
   * The work of single generic actions, in place of the framework's (DRF's overriding
   * `update()` or `destroy()`), for an action whose validation or saving the save hooks cannot
   * say: the route, its policy, its docs and `context.getObject()` (the URL's object, scoped and
   * checked) stay the framework's.
   */
  handlers?: Partial<Record<GenericAction, ActionHandler<Row>>>
  /**
   * What OpenAPI and OPTIONS say of single generic actions, over what the framework writes: e.g.
   * `{ destroy: { summary: 'Delete a user and all they own', body: ConfirmSchema } }`.
   */
  docs?: Partial<Record<GenericAction, ActionDocs>>
}

/** Declare a viewset; the router turns it into routes. */
export function viewset<F extends FieldMap, Row extends ObjectRow>(
  definition: ViewsetDefinition<F, Row>,
): ViewsetDefinition<F, Row> {
  return definition
}

/** Declare a custom action (DRF's @action). */
export function action<Row>(definition: CustomAction<Row>): CustomAction<Row> {
  return definition
}
