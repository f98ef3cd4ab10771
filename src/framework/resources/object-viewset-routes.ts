import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { ObjectRow } from '../permissions/permission.ts'
import { checkObjectPermissions } from '../pipeline.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import { SetupError } from '../setup-errors.ts'
import { actionPolicy, checkPolicies, viewsetPolicy } from './action-policy.ts'
import { lookupValue, missing } from './lookup.ts'
import { objectList } from './object-list.ts'
import type { ObjectAction, ObjectViewsetDefinition } from './object-viewset.ts'
import { pageNumberPagination } from './paginators/page-number.ts'
import type { Paginator } from './paginators/paginator.ts'
import { unpaginated } from './paginators/unpaginated.ts'

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown

// Each action's route, and the hook it cannot do without.
const ROUTE_OF: Record<ObjectAction, { detail: boolean; method: 'GET' | 'DELETE'; hook: string }> =
  {
    list: { detail: false, method: 'GET', hook: 'list' },
    retrieve: { detail: true, method: 'GET', hook: 'get' },
    destroy: { detail: true, method: 'DELETE', hook: 'destroy' },
  }

// What a definition offers when it names no actions: each action it has the hooks of.
function offered<F extends FieldMap, Row extends object>(
  vs: ObjectViewsetDefinition<F, Row>,
): ObjectAction[] {
  if (vs.actions) return vs.actions
  const found: ObjectAction[] = []
  if (vs.list) found.push('list')
  if (vs.get || vs.list) found.push('retrieve')
  if (vs.destroy) found.push('destroy')
  return found
}

function paginatorOf<F extends FieldMap, Row extends object>(
  vs: ObjectViewsetDefinition<F, Row>,
): Paginator {
  if (vs.pagination === false) return unpaginated
  const fields = vs.schema.fields
  const has = (name: string) => Object.hasOwn(fields, name)
  // A cursor orders the objects by their fields, in memory: a field's name is its "column".
  return (vs.pagination ?? pageNumberPagination()).bind({
    basename: vs.basename,
    columnOf: (name) => (has(name) ? name : null),
    fieldOf: (name) =>
      has(name)
        ? { kind: fields[name].kind, nullable: fields[name].options.nullable === true }
        : null,
    ordersByClient: false,
  })
}

/** The Fastify routes of one object viewset mounted at `prefix` (trailing slash, as DRF). */
export function objectViewsetRoutes<F extends FieldMap, Row extends object>(
  prefix: string,
  vs: ObjectViewsetDefinition<F, Row>,
): RouteOptions[] {
  const actions = offered(vs)
  const field = vs.lookupField ?? 'id'
  const param = vs.lookupField ?? 'pk'
  checkObjectViewset(vs, actions, field)
  const kind = vs.schema.fields[field].kind
  const paginator = paginatorOf(vs)
  const base = `/${prefix.replace(/^\/|\/$/g, '')}`

  /** DRF's get_object: the URL's object, within what the request may see, then its checks. */
  async function getObject(request: FastifyRequest): Promise<Row> {
    const key = lookupValue(request, kind, (request.params as Record<string, string>)[param])
    const found = vs.get
      ? await vs.get(request, key)
      : (await vs.list!(request)).find((row) => (row as ObjectRow)[field] === key)
    if (!found) throw missing(request)
    await checkObjectPermissions(request, found as ObjectRow)
    return found
  }

  const handlers: Record<ObjectAction, Handler> = {
    async list(request) {
      const readPage = paginator.start(request)
      const objects = await vs.list!(request)
      return (await readPage(objectList(objects as ObjectRow[], paginator.order))).body
    },
    retrieve: (request) => getObject(request),
    async destroy(request, reply) {
      const obj = await getObject(request)
      // Gone between the load and the removal: as missing as if it had gone before.
      if ((await vs.destroy!(request, obj)) === false) throw missing(request)
      return reply.code(204).send()
    },
  }

  const pathPolicy = viewsetPolicy(vs)
  return actions.map((name) => {
    const { detail, method } = ROUTE_OF[name]
    const output = name === 'list' ? paginator.envelope(vs.schema.output) : vs.schema.output
    // A page past the last, or a cursor it cannot read, is the paginator's own answer.
    const refusals = name === 'list' ? paginator.refusals : []
    return {
      method,
      url: detail ? `${base}/:${param}/` : `${base}/`,
      config: {
        ...actionPolicy(vs, name),
        pathPolicy,
        view: { name: vs.basename, action: name, ownerField: vs.ownerField },
        ...(name === 'list' && { query: Type.Object(paginator.query) }),
        ...(refusals.length && {
          responses: Object.fromEntries(refusals.map((status) => [status, null])),
        }),
        ...vs.docs?.[name],
        ...(detail && { loadObject: getObject as (request: FastifyRequest) => Promise<ObjectRow> }),
      },
      schema: method === 'DELETE' ? {} : { response: { 200: output } },
      handler: handlers[name],
    }
  })
}

function checkObjectViewset<F extends FieldMap, Row extends object>(
  vs: ObjectViewsetDefinition<F, Row>,
  actions: ObjectAction[],
  field: string,
) {
  if (!Object.hasOwn(vs.schema.fields, field)) {
    throw new SetupError('ERR_OBJECT_VIEWSET_LOOKUP', vs.basename, field)
  }
  for (const name of actions) {
    const route = ROUTE_OF[name]
    if (!route) throw new SetupError('ERR_VIEWSET_ACTION', vs.basename, name)
    if (typeof vs[route.hook as keyof typeof vs] !== 'function') {
      // A detail finds its object in the list when there is no `get`.
      if (!(route.detail && route.hook === 'get' && vs.list)) {
        throw new SetupError('ERR_OBJECT_VIEWSET_HOOK', vs.basename, name, route.hook)
      }
    }
    if (route.detail && !vs.get && !vs.list) {
      throw new SetupError('ERR_OBJECT_VIEWSET_HOOK', vs.basename, name, 'get')
    }
  }
  checkPolicies(vs, actions)
}
