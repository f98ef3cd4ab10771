import type { FastifyRequest } from 'fastify'
import type { ResolvedAccess } from '../access.ts'
import { andThen, isPromise, type MaybePromise } from '../maybe-promise.ts'
import type { ObjectRow } from '../permissions/permission.ts'
import { checkViewPermissions } from '../pipeline.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import { genericActions } from './generic-actions.ts'
import type { Scope, ScopeValue, Scoping } from './list-plan.ts'
import type { ViewsetDefinition } from './viewset.ts'

/** How a child viewset hangs under its parent's detail URL (drf-nested-routers' options). */
export interface NestOptions {
  /** The URL parameter naming the parent: `organization` gives `/organizations/:organization/projects/`. */
  parentLookup: string
  /** The child table's column holding the parent's primary key, e.g. `organization_id`. */
  parentField: string
}

/** A child viewset bound to its parent: what its routes run first, and the child it scopes. */
export interface ParentLink {
  /** The URL parameter naming the parent. */
  param: string
  /**
   * Load the URL's parent and check it as a GET of the parent would (its view permissions, its
   * scope, its object permissions); a refusal is thrown, a 404 or a 403, before the child acts.
   */
  load(request: FastifyRequest): MaybePromise<void>
  // biome-ignore lint/suspicious/noExplicitAny: a child of any schema and row type
  child: ViewsetDefinition<any, any>
}

// A text that holds U+0000 equals no stored value: scopeParts leaves such an alternative out.
const NOTHING = '\u0000'

/**
 * Bind `child` to `parent`: the child's scope gains "its parent is the URL's" (compiled once per
 * shape, like any scope), and create and update write the parent's key, whatever the body says.
 */
export function parentLink<PF extends FieldMap, PRow extends ObjectRow>(
  parent: ViewsetDefinition<PF, PRow>,
  // biome-ignore lint/suspicious/noExplicitAny: a child of any schema and row type
  child: ViewsetDefinition<any, any>,
  options: NestOptions,
): ParentLink {
  const parentPk = parent.pk ?? 'id'
  const parentActions = genericActions(parent)
  const loadedParents = new WeakMap<FastifyRequest, ObjectRow>()
  const parentKey = (request: FastifyRequest): ScopeValue => {
    const row = loadedParents.get(request)
    // Only a request that went through `load` reaches the child's actions.
    if (row === undefined) throw new Error(`${child.basename}: the parent was not loaded`)
    return row[parentPk] as ScopeValue
  }
  const column = options.parentField
  const qualified = `${child.table}.${column}`
  const withParent = <V>(values: V, request: FastifyRequest) => ({
    ...values,
    [column]: parentKey(request),
  })

  const scoped: ViewsetDefinition<FieldMap, ObjectRow> = {
    ...child,
    scope: (request) =>
      andThen(child.scope?.(request) ?? null, (scoping) =>
        underParent(scoping, qualified, parentKey(request)),
      ),
    performCreate: async (request, data, trx, save) => {
      if (!child.performCreate) return withParent(data, request)
      const values = await child.performCreate(
        request,
        data,
        trx,
        (given: Record<string, unknown>) => save(withParent(given, request)),
      )
      return values ? withParent(values, request) : values
    },
    performUpdate: async (request, data, obj, trx, save) => {
      if (!child.performUpdate) return withParent(data, request)
      const values = await child.performUpdate(
        request,
        data,
        obj,
        trx,
        (given: Record<string, unknown>) => save(withParent(given, request)),
      )
      return values ? withParent(values, request) : values
    },
  }

  // The parent route's access, with the server's defaults, as the pipeline resolved it: found
  // once per server and child route in the route table, by the child's URL up to the parent.
  const accessOf = new WeakMap<object, Map<string, ResolvedAccess>>()
  function parentAccess(request: FastifyRequest): ResolvedAccess {
    let byRoute = accessOf.get(request.server.routeTable)
    if (byRoute === undefined) {
      byRoute = new Map()
      accessOf.set(request.server.routeTable, byRoute)
    }
    const url = request.routeOptions.url ?? ''
    let access = byRoute.get(url)
    if (access === undefined) {
      const marker = `/:${options.parentLookup}/`
      const parentUrl = url.slice(0, url.indexOf(marker) + marker.length)
      const found = request.server.routeTable.find('GET', parentUrl)
      if (!found) throw new Error(`${child.basename}: no GET route at ${parentUrl} for the parent`)
      access = found.entry.access
      byRoute.set(url, access)
    }
    return access
  }

  return {
    param: options.parentLookup,
    child: scoped,
    load(request) {
      const access = parentAccess(request)
      const raw = (request.params as Record<string, string | undefined>)[options.parentLookup]
      // Checked as a GET of the parent: a comment POSTed under a note its reader may only read
      // is judged by "may read the note", not by "may change it" (IsOwnerOrReadOnly's SAFE_METHODS).
      return asGet(request, () =>
        andThen(checkViewPermissions(request, access), () =>
          andThen(parentActions.lookupObject(request, raw, access), (row) => {
            loadedParents.set(request, row)
          }),
        ),
      )
    },
  }
}

/**
 * `scoping` narrowed to the rows whose `column` is `key`: added to each alternative. An
 * alternative that already asks another value of that column matches nothing, and says so.
 */
export function underParent(scoping: Scoping | null, column: string, key: ScopeValue): Scoping {
  const narrow = (alternative: Readonly<Record<string, ScopeValue | undefined>>): Scope => {
    const asked = alternative[column]
    if (asked !== undefined && String(asked) !== String(key)) return { [column]: NOTHING }
    return { ...(alternative as Scope), [column]: key }
  }
  if (scoping === null) return { [column]: key }
  return Array.isArray(scoping) ? scoping.map(narrow) : narrow(scoping as Scope)
}

/**
 * Run `work` with the request's method read as GET, then restore it. The same request, not a
 * copy: what a permission caches per request (a role read once) stays one read.
 */
function asGet<T>(request: FastifyRequest, work: () => MaybePromise<T>): MaybePromise<T> {
  if (request.method === 'GET') return work()
  Object.defineProperty(request, 'method', { value: 'GET', configurable: true })
  const restore = () => {
    delete (request as { method?: string }).method
  }
  try {
    const done = work()
    if (isPromise(done)) return done.finally(restore)
    restore()
    return done
  } catch (err) {
    restore()
    throw err
  }
}
