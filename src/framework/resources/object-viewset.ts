import type { FastifyRequest } from 'fastify'
import type { AccessPolicy } from '../access.ts'
import type { MaybePromise } from '../maybe-promise.ts'
import type { FieldMap, ResourceSchema } from '../schema/resource-schema.ts'
import type { Pagination } from './paginators/paginator.ts'
import type { ActionDocs, ActionPolicies } from './viewset.ts'

/** The actions an object viewset can offer (DRF's ViewSet methods list, retrieve, destroy). */
export type ObjectAction = 'list' | 'retrieve' | 'destroy'

/**
 * A viewset over objects that live outside a SQL table (DRF's plain `viewsets.ViewSet`): a
 * store, a cache, an external API. Its hooks say where the objects are; the framework gives it
 * what a table's viewset gets: the pipeline's policies (per action too), the paginator applied to
 * the listed objects, object permissions and a 404 for an unknown key, OpenAPI operations and the
 * browsable API.
 */
export interface ObjectViewsetDefinition<F extends FieldMap, Row extends object>
  extends AccessPolicy {
  /** Names the routes and the view permissions see ("session"). */
  basename: string
  /** What an object shows: the answer's JSON Schema, for serialization and OpenAPI. */
  schema: ResourceSchema<F>
  /**
   * The field a detail URL names the object by, whose name the URL parameter takes; without it,
   * `id`, in a parameter named `pk` (DRF's lookup_field and its default).
   */
  lookupField?: keyof F & string
  /** The actions offered: by default, each one whose hook the definition has. */
  actions?: ObjectAction[]
  /** Column whose value IsOwner compares with the user's id; `owner_id` by default. */
  ownerField?: string
  /**
   * Every object this request may see, in the order listed: the scope is this hook's to apply
   * (e.g. the requester's own). The paginator pages what it answers.
   */
  list?(request: FastifyRequest): MaybePromise<Row[]>
  /**
   * The object a detail URL names (its lookup value, parsed as the field's kind), or nothing for
   * a 404; within what this request may see, as `list` is. By default the listed object with
   * that value: one read of the whole list per detail request.
   */
  get?(request: FastifyRequest, key: string | number): MaybePromise<Row | null | undefined>
  /**
   * Remove an object the request has loaded and passed the object permissions for; false when
   * it has gone meanwhile, which answers 404 as a miss does.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that answers nothing has removed it
  destroy?(request: FastifyRequest, obj: Row): MaybePromise<boolean | undefined | void>
  /**
   * How the list pages: `pageNumberPagination()` by default (20 a page, `?page_size=` up to
   * 100), `limitOffsetPagination()`, `cursorPagination({ ordering })` over the objects' fields,
   * or false for a bare list.
   */
  pagination?: Pagination | false
  /** Schemes, permissions and throttles of single actions, as a table viewset's `policies`. */
  policies?: ActionPolicies
  /** What OpenAPI and OPTIONS say of single actions: a summary, a body, further answers. */
  docs?: Partial<Record<ObjectAction, ActionDocs>>
}

/** Declare a viewset over objects of a store of your own; `router.register` mounts it. */
export function objectViewset<F extends FieldMap, Row extends object>(
  definition: ObjectViewsetDefinition<F, Row>,
): ObjectViewset<F, Row> {
  return { ...definition, kind: 'objects' }
}

/** A declared object viewset: what a Router tells apart from a table's viewset. */
export type ObjectViewset<F extends FieldMap, Row extends object> = ObjectViewsetDefinition<
  F,
  Row
> & { readonly kind: 'objects' }
