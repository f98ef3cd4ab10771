import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { MaybePromise } from '../../maybe-promise.ts'
import type { OrderTerm } from '../filters.ts'

/**
 * Which rows of an ordered list to read: the order reversed or not, only the rows past a value
 * of the first order term's column (a cursor's position), and a window of them.
 */
export interface RowWindow {
  /** Read in the opposite order (a cursor paging backwards). */
  reverse?: boolean
  /** Keep the rows whose first order column is `<` or `>` this value. */
  after?: { op: '<' | '>'; value: unknown }
  /** At most this many rows; every row when absent. */
  limit?: number
  /** Skip this many rows first (with a limit). */
  offset?: number
}

/** A list a paginator reads: scoped, filtered and ordered already. */
export interface ListQuery<Row> {
  /** How many rows the list holds (one COUNT statement). */
  count(): Promise<number>
  /** The rows in `window`, in the list's order (or its reverse). */
  rows(window: RowWindow): MaybePromise<Row[]>
}

/** One page of a list: the body to answer with, and its rows (to prefetch and present). */
export interface PageOf<Row> {
  body: unknown
  rows: Row[]
}

/** What a viewset's paginator needs to know of it, to check its declaration at start. */
export interface PaginatedView {
  basename: string
  /** The SQL column of a field of the rows, or null when the schema has no such field. */
  columnOf(field: string): string | null
  /** The field's kind (integer, datetime, string…) and whether it may be null. */
  fieldOf(field: string): { kind: string; nullable: boolean } | null
  /** Whether the viewset also lets the client choose the order (`?ordering=`). */
  ordersByClient: boolean
  /** The SQL column of the rows' primary key, which breaks ties in an imposed order. */
  pkColumn?: string
}

/** A paginator bound to one viewset (DRF's pagination_class instance). */
export interface Paginator {
  /** The query parameters it reads, for OpenAPI and the browsable API. */
  readonly query: Record<string, TSchema>
  /** Statuses it answers on its own (404 "Invalid page." or "Invalid cursor"). */
  readonly refusals: readonly number[]
  /** The order it imposes, in place of `?ordering=` and the default (a cursor's). */
  readonly order?: OrderTerm[]
  /** The JSON Schema of a page of `item`: the envelope, or a bare list. */
  envelope(item: TSchema): TSchema
  /**
   * Read what this request asks for (a malformed page or cursor is its 404) and return how to
   * read that page of a list.
   */
  start(request: FastifyRequest): <Row>(list: ListQuery<Row>) => Promise<PageOf<Row>>
}

/** A viewset's `pagination`: a declaration the router binds to the viewset at start. */
export interface Pagination {
  /** Bind to a viewset; a declaration that cannot work there throws a SetupError. */
  bind(view: PaginatedView): Paginator
}
