import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import { SetupError } from '../setup-errors.ts'
import { apiRootRoute } from './api-root-route.ts'
import { lookupOf } from './lookup.ts'
import { type NestOptions, type ParentLink, parentLink } from './nesting.ts'
import type { ObjectViewset } from './object-viewset.ts'
import { objectViewsetRoutes } from './object-viewset-routes.ts'
import type { ViewsetDefinition } from './viewset.ts'
import { ALL_ACTIONS, viewsetRoutes } from './viewset-routes.ts'

// biome-ignore lint/suspicious/noExplicitAny: viewsets of any schema and row type
type AnyViewset = ViewsetDefinition<any, any>
// biome-ignore lint/suspicious/noExplicitAny: object viewsets of any schema and row type
type AnyObjectViewset = ObjectViewset<any, any>

const isObjects = (vs: AnyViewset | AnyObjectViewset): vs is AnyObjectViewset =>
  (vs as AnyObjectViewset).kind === 'objects'

/** A child viewset mounted under a parent's detail URL. */
interface NestedEntry {
  parentPrefix: string
  prefix: string
  link: ParentLink
}

/** Viewsets by URL prefix, mounted together (DRF's routers). */
export class Router {
  private readonly entries: [string, AnyViewset | AnyObjectViewset][] = []
  private readonly nested: NestedEntry[] = []

  /** Mount a viewset (a table's, or an object viewset) at `/{prefix}/` and `/{prefix}/{pk}/`. */
  register<F extends FieldMap, Row extends ObjectRow>(
    prefix: string,
    vs: ViewsetDefinition<F, Row> | ObjectViewset<F, object>,
  ): this {
    this.entries.push([prefix, vs])
    return this
  }

  /**
   * Mount `child` under the detail URL of the viewset registered at `parentPrefix`
   * (drf-nested-routers): `nest('organizations', 'projects', projects, { parentLookup:
   * 'organization', parentField: 'organization_id' })` serves `/organizations/{organization}/
   * projects/` and `.../projects/{pk}/`. Every request loads the parent first, through the
   * parent's scope and permissions (a 404 or 403 exactly as a GET of the parent answers), sees
   * only that parent's children, and creates children of that parent whatever the body says.
   */
  nest<F extends FieldMap, Row extends ObjectRow>(
    parentPrefix: string,
    prefix: string,
    child: ViewsetDefinition<F, Row>,
    options: NestOptions,
  ): this {
    const parent = this.entries.find(([p]) => p === parentPrefix)?.[1]
    // Children of a table are scoped by a column of theirs: an object viewset has none.
    if (!parent || isObjects(parent) || !(parent.actions ?? ALL_ACTIONS).includes('retrieve')) {
      throw new SetupError('ERR_NESTED_PARENT', child.basename, parentPrefix)
    }
    if (options.parentLookup === lookupOf(child).param || !/^\w+$/.test(options.parentLookup)) {
      throw new SetupError('ERR_NESTED_LOOKUP', child.basename, options.parentLookup)
    }
    if (!/^\w+$/.test(options.parentField)) {
      throw new SetupError('ERR_NESTED_FIELD', child.basename, options.parentField, child.table)
    }
    this.nested.push({ parentPrefix, prefix, link: parentLink(parent, child, options) })
    return this
  }

  /**
   * Add every registered viewset's routes to a server; with `root`, under that path, which then
   * answers GET with a link to each list (DRF's DefaultRouter included at a prefix). A nested
   * list needs its parent's key, so the root links to top-level lists only.
   */
  mount(app: FastifyInstance, options: MountOptions = {}): void {
    const base = options.root?.replace(/^\/+|\/+$/g, '')
    const under = (prefix: string) => (base ? `${base}/${prefix}` : prefix)
    for (const [prefix, vs] of this.entries) {
      const routes = isObjects(vs)
        ? objectViewsetRoutes(under(prefix), vs)
        : viewsetRoutes(under(prefix), vs)
      for (const route of routes) app.route(route)
    }
    for (const { parentPrefix, prefix, link } of this.nested) {
      const at = `${under(parentPrefix)}/:${link.param}/${prefix}`
      for (const route of viewsetRoutes(at, link.child, link)) app.route(route)
    }
    if (base !== undefined) {
      const prefixes = this.entries.map(([prefix]) => prefix)
      app.route(apiRootRoute(base ? `/${base}/` : '/', prefixes))
    }
  }
  /**
   * The router as a Fastify plugin (DRF's `include(router.urls)`): registered with a prefix, its
   * viewsets are mounted under it, and with `root: true` the prefix answers GET with the API root.
   */
  plugin(options: { root?: boolean } = {}): FastifyPluginAsync {
    return async (app) => this.mount(app, options.root ? { root: '/' } : {})
  }
}

/** How a router is mounted. */
export interface MountOptions {
  /** Mount under this path (`'/api/'`) and serve the API root view there. */
  root?: string
}
