import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import FindMyWay from 'find-my-way'
import type { ResolvedAccess } from './access.ts'
import type { MaybePromise } from './maybe-promise.ts'
import type { ObjectRow } from './permissions/permission.ts'
import type { FieldMap } from './schema/resource-schema.ts'

/** The methods a route table answers besides HEAD and OPTIONS. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** An API method. */
export type Method = (typeof METHODS)[number]

/** What the server knows of one method on one path. */
export interface RouteEntry {
  readonly access: ResolvedAccess
  /** The policy of the path as a whole: what OPTIONS and a 405 on it are checked by. */
  readonly pathAccess: ResolvedAccess
  /** The request body's JSON Schema, when the route declares one. */
  readonly body?: TSchema
  readonly summary?: string
  /** The resource schema's fields the route writes with, for OPTIONS (read-only ones too). */
  readonly serializer?: FieldMap
  /** Load the URL's object as the route does, scope and object checks included (get_object). */
  readonly loadObject?: (request: FastifyRequest) => MaybePromise<ObjectRow>
  /** The route is an API root, which the server's root page links to. */
  readonly apiRoot?: boolean
}

/** A route matched by path: its entry and the path's parameters. */
export interface RouteMatch {
  readonly entry: RouteEntry
  readonly params: Record<string, string | undefined>
}

/**
 * Every path the server serves, by method: the pipeline answers 405 and OPTIONS from it, and the
 * browsable API finds the forms a page may offer.
 */
export class RouteTable {
  private readonly router = FindMyWay<FindMyWay.HTTPVersion.V1>()
  private readonly rootPaths: string[] = []

  /**
   * Record a route (the first registration of a method and pattern wins, as in Fastify). Looked
   * up as a pattern: `users/me/` is a route of its own even after `users/:id/`, which it fits.
   */
  add(method: Method, url: string, entry: RouteEntry): void {
    if (this.router.findRoute(method, url)) return
    this.router.on(method, url, () => {}, entry)
    if (entry.apiRoot && method === 'GET') this.rootPaths.push(url)
  }

  /** The paths of the API roots, in the order they were registered. */
  apiRoots(): readonly string[] {
    return this.rootPaths
  }

  /** The route answering a method on a concrete path, or null. */
  find(method: string, path: string): RouteMatch | null {
    const found = this.router.find(method as FindMyWay.HTTPMethod, path)
    if (!found) return null
    return { entry: found.store as RouteEntry, params: found.params }
  }

  /**
   * The methods a concrete path answers. A path some route names outright (`users/activation/`)
   * answers that route's methods alone, not those of a pattern it also fits (`users/:id/`): DRF's
   * router tries an action's URL before the detail's.
   */
  methods(path: string): Method[] {
    const found = METHODS.map((m) => ({ m, params: this.router.find(m, path)?.params }))
    const matched = found.filter((f) => f.params !== undefined)
    const fewest = Math.min(...matched.map((f) => Object.keys(f.params!).length))
    return matched.filter((f) => Object.keys(f.params!).length === fewest).map((f) => f.m)
  }

  /** The Allow header of a path, as DRF writes it (HEAD where GET is); empty if none. */
  allowHeader(path: string): string {
    const methods = this.methods(path)
    if (!methods.length) return ''
    return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ')
  }
}
