import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { NotFound } from '../errors.ts'
import { urlWithParam } from './absolute-url.ts'
import { queryParam } from './query-param.ts'

/** Page-number pagination settings (DRF's PageNumberPagination). */
export interface PaginationOptions {
  /** Rows a page holds unless the client asks for another size. */
  pageSize: number
  /** The most rows a client may ask for a page to hold. */
  maxPageSize: number
  /** The parameter a client sets the size with (`page_size` by default); null: none. */
  pageSizeParam?: string | null
}

/** DRF's defaults as API.md sets them: 20 a page, `?page_size=` up to 100. */
export const DEFAULT_PAGINATION: PaginationOptions = {
  pageSize: 20,
  maxPageSize: 100,
  pageSizeParam: 'page_size',
}

/** The page a request asks for: a number, or `last` (known once the rows are counted). */
export interface PageRequest {
  page: number | 'last'
  size: number
}

/** A page of a counted list: its number, size and SQL offset. */
export interface Page {
  page: number
  size: number
  offset: number
}

// What Python's int() reads (DRF and Django parse these numbers with it): surrounding space, a
// sign, digits with single underscores between them. Past 2^53 the value is approximate, which
// only ever makes a page past the last one.
const PYTHON_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/

/** A whole number above 0 as DRF's `_positive_int(strict=True)` reads it, or null. */
export function positiveInt(raw: string | undefined): number | null {
  if (raw === undefined || !PYTHON_INT.test(raw)) return null
  const n = Number(raw.trim().replaceAll('_', ''))
  return n > 0 ? n : null
}

/** Read `?page=` and `?page_size=`; a malformed page is DRF's 404 "Invalid page.". */
export function pageRequest(request: FastifyRequest, options = DEFAULT_PAGINATION): PageRequest {
  const { pageSizeParam = 'page_size' } = options
  const sizeParam = pageSizeParam === null ? null : positiveInt(queryParam(request, pageSizeParam))
  const size = sizeParam === null ? options.pageSize : Math.min(sizeParam, options.maxPageSize)
  const raw = queryParam(request, 'page')
  const page = raw === undefined ? 1 : raw === 'last' ? 'last' : positiveInt(raw)
  if (page === null) throw new NotFound('Invalid page.')
  return { page, size }
}

/**
 * The page asked for, among `count` rows: `?page=last` is the last page, as in DRF; one past the
 * last is "Invalid page." before any row is read.
 */
export function pageAt(requested: PageRequest, count: number): Page {
  const { size } = requested
  const last = lastPage(count, size)
  const page = requested.page === 'last' ? last : requested.page
  if (page > last) throw new NotFound('Invalid page.')
  return { page, size, offset: (page - 1) * size }
}

/** The number of the last page of `count` rows; an empty list still has a first page (Django's allow_empty_first_page). */
export const lastPage = (count: number, size: number) => Math.max(1, Math.ceil(count / size))

/** The `{count, next, previous, results}` envelope; a page past the last is "Invalid page.". */
export function pageEnvelope<T>(request: FastifyRequest, page: Page, count: number, results: T[]) {
  const pages = lastPage(count, page.size)
  if (page.page > pages) throw new NotFound('Invalid page.')
  return {
    count,
    next: page.page < pages ? urlWithParam(request, 'page', String(page.page + 1)) : null,
    previous:
      page.page > 1
        ? urlWithParam(request, 'page', page.page === 2 ? null : String(page.page - 1))
        : null,
    results,
  }
}

/** The query parameters of a paged list, for OpenAPI (`config.query`). */
export function pageQuery(options = DEFAULT_PAGINATION): Record<string, TSchema> {
  const { pageSizeParam = 'page_size', maxPageSize } = options
  return {
    page: Type.Optional(Type.Integer({ minimum: 1, description: 'A page number.' })),
    ...(pageSizeParam !== null && {
      [pageSizeParam]: Type.Optional(
        Type.Integer({ minimum: 1, description: `Results per page (at most ${maxPageSize}).` }),
      ),
    }),
  }
}

/**
 * The JSON Schema of a page link, or null. A type list, not anyOf: fast-json-stringify
 * serializes it directly, where anyOf would run a validator (with the URI format's pattern) on
 * every link of every page to pick a branch.
 */
export const pageLink = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uri' })

/** The JSON Schema of a page of `item`, for fast serialization and OpenAPI. */
export function pageSchema(item: TSchema) {
  return Type.Object({
    count: Type.Integer(),
    next: pageLink,
    previous: pageLink,
    results: Type.Array(item),
  })
}
