import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { andThen } from '../maybe-promise.ts'
import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import { SetupError } from '../setup-errors.ts'
import { actionPolicy, checkPolicies, viewsetPolicy } from './action-policy.ts'
import { MAX_SEARCH_TERMS } from './filters.ts'
import { genericActions } from './generic-actions.ts'
import type { ListFilters } from './list-filters.ts'
import { type Listing, listingOf } from './listing.ts'
import { lookupOf } from './lookup.ts'
import type { ParentLink } from './nesting.ts'
import type { GenericAction, ViewsetDefinition } from './viewset.ts'

/** Every generic action, in DRF's order: what a viewset offers when it lists none. */
export const ALL_ACTIONS: GenericAction[] = [
  'list',
  'create',
  'retrieve',
  'update',
  'partial_update',
  'destroy',
]

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
const ROUTE_OF: Record<GenericAction, { detail: boolean; method: Method; status: number }> = {
  list: { detail: false, method: 'GET', status: 200 },
  create: { detail: false, method: 'POST', status: 201 },
  retrieve: { detail: true, method: 'GET', status: 200 },
  update: { detail: true, method: 'PUT', status: 200 },
  partial_update: { detail: true, method: 'PATCH', status: 200 },
  destroy: { detail: true, method: 'DELETE', status: 204 },
}

/** The Fastify routes of one viewset mounted at `prefix` (DRF's SimpleRouter, trailing slash). */
export function viewsetRoutes<F extends FieldMap, Row extends ObjectRow>(
  prefix: string,
  vs: ViewsetDefinition<F, Row>,
  parent?: ParentLink,
): RouteOptions[] {
  checkViewset(vs)
  const listing = listingOf(vs)
  const actions = genericActions(vs, listing)
  const base = `/${prefix.replace(/^\/|\/$/g, '')}`
  const at = `${base}/:${lookupOf(vs).param}`
  const pathPolicy = viewsetPolicy(vs)
  const view = (action: string) => ({ name: vs.basename, action, ownerField: vs.ownerField })
  // A nested route loads and checks its parent before anything else: a 404 or 403 there is
  // the answer, and nothing of the child is read or written.
  const afterParent = parent
    ? (handler: Handler): Handler =>
        (req, reply) =>
          andThen(parent.load(req), () => handler(req, reply))
    : (handler: Handler) => handler
  const context = (req: FastifyRequest) => ({ getObject: async () => actions.getObject(req) })
  const own = (name: GenericAction): Handler | undefined => {
    const handler = vs.handlers?.[name]
    return handler && ((req, reply) => handler(req, reply, context(req)))
  }
  const framework: Record<GenericAction, Handler> = {
    list: (req) => actions.list(req),
    create: (req, reply) => actions.create(req, reply),
    retrieve: (req) => actions.retrieve(req),
    update: (req) => actions.update(req, false),
    partial_update: (req) => actions.update(req, true),
    destroy: (req, reply) => actions.destroy(req, reply),
  }
  const handlers = Object.fromEntries(
    ALL_ACTIONS.map((name) => [name, own(name) ?? framework[name]]),
  ) as Record<GenericAction, Handler>
  const loadObject = parent
    ? (req: FastifyRequest) => andThen(parent.load(req), () => actions.getObject(req))
    : (req: FastifyRequest) => actions.getObject(req)
  const generic: RouteOptions[] = (vs.actions ?? ALL_ACTIONS).map((name) => {
    const { detail, method, status } = ROUTE_OF[name]
    const body = name === 'list' ? listing.paginator.envelope(vs.schema.output) : vs.schema.output
    return {
      method,
      url: detail ? `${at}/` : `${base}/`,
      config: {
        ...actionPolicy(vs, name),
        pathPolicy,
        view: view(name),
        ...documented(vs, name, listing),
        ...(vs.summaries?.[name] !== undefined && { summary: vs.summaries[name] }),
        ...vs.docs?.[name],
        // A body of the action's own docs is what it writes with, in place of the schema.
        ...(writes(name) && !vs.docs?.[name]?.body && { serializer: vs.schema.fields }),
        ...(detail && { loadObject }),
      },
      schema: status === 204 ? {} : { response: { [status]: body } },
      handler: afterParent(handlers[name]),
    }
  })
  const extra: RouteOptions[] = []
  for (const [name, custom] of Object.entries(vs.extraActions ?? {})) {
    const segment = custom.path ?? name
    // One route for the methods the action answers alike, one for each method mapped apart.
    const mapped = custom.methods.filter((m) => custom.mapping?.[m])
    const alike = custom.methods.filter((m) => !custom.mapping?.[m])
    const groups = [...(alike.length ? [alike] : []), ...mapped.map((m) => [m])]
    for (const methods of groups) {
      const own = { ...custom, ...(methods.length === 1 && custom.mapping?.[methods[0]]) }
      extra.push({
        method: methods,
        url: custom.detail ? `${at}/${segment}/` : `${base}/${segment}/`,
        config: {
          ...actionPolicy(vs, name, own),
          view: view(name),
          body: own.body,
          query: own.query,
          summary: own.summary,
          responses: own.responses,
          ...(custom.detail && { loadObject }),
        },
        handler: afterParent((req, reply) => own.handler(req, reply, context(req))),
      })
    }
  }
  // DRF's router order: lists, list-level actions, details, detail actions; so `users/me/` is a
  // route of its own before `users/{pk}/`, which it also fits.
  const isDetail = (route: RouteOptions) => route.url.includes(`${at}/`)
  return [
    ...generic.filter((r) => !isDetail(r)),
    ...extra.filter((r) => !isDetail(r)),
    ...generic.filter(isDetail),
    ...extra.filter(isDetail),
  ]
}

// The actions whose body is the resource schema (OPTIONS lists its fields for POST and PUT).
const writes = (name: GenericAction) =>
  name === 'create' || name === 'update' || name === 'partial_update'

// What OpenAPI and the browsable API's forms show of an action: its body and query parameters.
function documented<F extends FieldMap, Row extends ObjectRow>(
  vs: ViewsetDefinition<F, Row>,
  name: GenericAction,
  { paginator, filters }: Listing,
): {
  body?: TSchema
  query?: TObject
  responses?: Record<number, null>
  listFilters?: ListFilters
} {
  if (name === 'create' || name === 'update') return { body: vs.schema.input }
  if (name === 'partial_update') return { body: Type.Partial(vs.schema.input) }
  if (name !== 'list') return {}
  const listFilters: ListFilters = {
    search: Boolean(vs.search?.length),
    // A cursor imposes its own order: `?ordering=` changes nothing there.
    ordering: paginator.order ? [] : Object.keys(vs.ordering?.fields ?? {}),
    fields: { ...filters.query, ...vs.filters },
  }
  const params: Record<string, TSchema> = { ...paginator.query, ...filters.query }
  if (vs.ordering?.fields && Object.keys(vs.ordering.fields).length > 0) {
    const names = Object.keys(vs.ordering.fields).flatMap((f) => [f, `-${f}`])
    params.ordering = Type.Optional(
      Type.String({ description: `Order by: ${names.join(', ')} (comma-separated).` }),
    )
  }
  if (vs.search?.length) {
    params.search = Type.Optional(
      Type.String({
        description: `Terms, every one of which a result contains (at most ${MAX_SEARCH_TERMS}).`,
      }),
    )
  }
  Object.assign(params, filters.methods)
  for (const [name, schema] of Object.entries(vs.filters ?? {})) {
    params[name] = Type.Optional(schema)
  }
  // The list's own refusals, with the pipeline's error bodies: a bad filter value, a bad cursor.
  const refusals = [...paginator.refusals, ...(Object.keys(filters.query).length ? [400] : [])]
  const responses = Object.fromEntries(refusals.map((status) => [status, null]))
  return { query: Type.Object(params), listFilters, ...(refusals.length && { responses }) }
}

function checkViewset<F extends FieldMap, Row extends ObjectRow>(vs: ViewsetDefinition<F, Row>) {
  if (typeof vs.query !== 'function') throw new SetupError('ERR_VIEWSET_QUERY', vs.basename)
  const pk = vs.pk ?? 'id'
  if (!(pk in vs.schema.fields)) throw new SetupError('ERR_VIEWSET_PK', vs.basename, pk)
  const lookup = vs.lookupField
  // A column that is not unique would name several objects, and the first found would be served.
  if (lookup !== undefined && lookup !== pk && !vs.schema.fields[lookup]?.options.unique) {
    throw new SetupError('ERR_VIEWSET_LOOKUP', vs.basename, lookup)
  }
  if (vs.lookupParam !== undefined && !/^\w+$/.test(vs.lookupParam)) {
    throw new SetupError('ERR_VIEWSET_LOOKUP_PARAM', vs.basename, vs.lookupParam)
  }
  for (const name of vs.actions ?? []) {
    if (!(name in ROUTE_OF)) throw new SetupError('ERR_VIEWSET_ACTION', vs.basename, name)
  }
  for (const name of Object.keys(vs.summaries ?? {})) {
    if (!(vs.actions ?? ALL_ACTIONS).includes(name as GenericAction)) {
      throw new SetupError('ERR_VIEWSET_SUMMARY', vs.basename, name)
    }
  }
  checkPolicies(vs, [...(vs.actions ?? ALL_ACTIONS), ...Object.keys(vs.extraActions ?? {})])
}
