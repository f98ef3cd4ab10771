import type { TSchema } from '@sinclair/typebox'
import FindMyWay from 'find-my-way'
import type { ResolvedAccess } from './access.ts'

/** The methods a route table answers besides HEAD and OPTIONS. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** An API method. */
export type Method = (typeof METHODS)[number]

/** What the server knows of one method on one path. */
export interface RouteEntry {
  readonly access: ResolvedAccess
  /** The request body's JSON Schema, when the route declares one. */
  readonly body?: TSchema
  readonly summary?: string
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

  /** Record a route (the first registration of a method and path wins, as in Fastify). */
  add(method: Method, url: string, entry: RouteEntry): void {
    if (!this.router.find(method, url)) this.router.on(method, url, () => {}, entry)
  }

  /** The route answering a method on a concrete path, or null. */
  find(method: string, path: string): RouteMatch | null {
    const found = this.router.find(method as FindMyWay.HTTPMethod, path)
    if (!found) return null
    return { entry: found.store as RouteEntry, params: found.params }
  }

  /** The methods a concrete path answers. */
  methods(path: string): Method[] {
    return METHODS.filter((m) => this.router.find(m, path) !== null)
  }
}
