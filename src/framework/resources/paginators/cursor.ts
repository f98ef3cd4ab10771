import { type TSchema, Type } from '@sinclair/typebox'
import { holdsNul } from '../../db/storable-text.ts'
import { SetupError } from '../../setup-errors.ts'
import { urlWithParam } from '../absolute-url.ts'
import type { OrderTerm } from '../filters.ts'
import { pageLink } from '../pagination.ts'
import { queryParam } from '../query-param.ts'
import { type Cursor, decodeCursor, encodeCursor, invalidCursor } from './cursor-codec.ts'
import { validSize } from './page-number.ts'
import type { Pagination, Paginator } from './paginator.ts'

/** Cursor settings (DRF's CursorPagination). */
export interface CursorOptions {
  /**
   * Fields of the rows to order by, `-` for descending (`'-created'`); the first decides where
   * a page starts, so it should be unique, or nearly (DRF's `ordering`). Not nullable.
   */
  ordering: string | string[]
  /** Rows a page holds; 20 by default. */
  pageSize?: number
}

/** Whether a field's values compare as integers, as text, or as points in time. */
type PositionKind = 'integer' | 'datetime' | 'text'

const INTEGER = /^-?\d{1,15}$/
const ISO_MOMENT =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/

// A cursor is the client's: a position the column cannot hold is an invalid cursor, never a
// database error.
function positionValue(kind: PositionKind, position: string): unknown {
  if (kind === 'integer') {
    if (!INTEGER.test(position)) throw invalidCursor()
    return Number(position)
  }
  if (kind === 'datetime' && (!ISO_MOMENT.test(position) || Number.isNaN(Date.parse(position)))) {
    throw invalidCursor()
  }
  if (holdsNul(position)) throw invalidCursor()
  return position
}

const kindOf = (fieldKind: string): PositionKind =>
  fieldKind === 'integer' || fieldKind === 'related_pk'
    ? 'integer'
    : fieldKind === 'datetime'
      ? 'datetime'
      : 'text'

/**
 * Cursor pages (DRF's CursorPagination): an opaque `?cursor=` where a page starts, no COUNT
 * statement, a fixed order; `{next, previous, results}`. A cursor it cannot read is a 404
 * "Invalid cursor". Its links are DRF's, cursor for cursor.
 */
export function cursorPagination(options: CursorOptions): Pagination {
  const { pageSize = 20 } = options
  const terms = typeof options.ordering === 'string' ? [options.ordering] : options.ordering
  return {
    bind(view): Paginator {
      if (!validSize(pageSize)) {
        throw new SetupError('ERR_PAGINATION_SIZE', view.basename, `pageSize ${pageSize}`)
      }
      if (view.ordersByClient) throw new SetupError('ERR_CURSOR_ORDERING', view.basename)
      if (terms.length === 0) {
        throw new SetupError('ERR_CURSOR_FIELD', view.basename, '(none)')
      }
      const order: OrderTerm[] = terms.map((term) => {
        const name = term.replace(/^-/, '')
        const column = view.columnOf(name)
        const field = view.fieldOf(name)
        if (column === null || field === null || field.nullable) {
          throw new SetupError('ERR_CURSOR_FIELD', view.basename, name)
        }
        return { column, desc: term.startsWith('-') }
      })
      // Rows that tie on every term come in the key's order: the database need not keep the same
      // order of ties from one page's query to the next (PostgreSQL does not), and a cursor's
      // offset counts rows within a tie.
      if (view.pkColumn && !order.some((term) => term.column === view.pkColumn)) {
        order.push({ column: view.pkColumn, desc: order[0].desc })
      }
      const first = terms[0].replace(/^-/, '')
      const kind = kindOf(view.fieldOf(first)!.kind)
      const positionOf = (row: unknown) => String((row as Record<string, unknown>)[first])

      return {
        query: {
          cursor: Type.Optional(Type.String({ description: 'The pagination cursor value.' })),
        },
        refusals: [404],
        order,
        envelope: (item: TSchema) =>
          Type.Object({ next: pageLink, previous: pageLink, results: Type.Array(item) }),
        start(request) {
          const raw = queryParam(request, 'cursor')
          const cursor = raw === undefined ? null : decodeCursor(raw)
          const at = cursor?.position == null ? undefined : positionValue(kind, cursor.position)
          return async (list) => {
            const { offset = 0, reverse = false, position = null } = cursor ?? {}
            // Past the position in the direction of reading: DRF's `(reverse) XOR (descending)`.
            const op = reverse !== order[0].desc ? '<' : '>'
            const found = await list.rows({
              reverse,
              after: at === undefined ? undefined : { op, value: at },
              limit: pageSize + 1,
              offset,
            })
            const page = found.slice(0, pageSize)
            const following = found.length > page.length ? positionOf(found[pageSize]) : null
            if (reverse) page.reverse()
            const state: PageState = {
              cursor,
              page: page.map(positionOf),
              hasNext: reverse ? position !== null || offset > 0 : following !== null,
              hasPrevious: reverse ? following !== null : position !== null || offset > 0,
              nextPosition: reverse ? position : following,
              previousPosition: reverse ? following : position,
              pageSize,
            }
            const link = (c: Cursor | null) =>
              c === null ? null : urlWithParam(request, 'cursor', encodeCursor(c))
            return {
              body: {
                next: link(nextCursor(state)),
                previous: link(previousCursor(state)),
                results: page,
              },
              rows: page,
            }
          }
        },
      }
    },
  }
}

/** What DRF's links are computed from: the page's positions and where the neighbours start. */
interface PageState {
  cursor: Cursor | null
  /** The position of each row of the page, in the order shown. */
  page: string[]
  hasNext: boolean
  hasPrevious: boolean
  nextPosition: string | null
  previousPosition: string | null
  pageSize: number
}

/** Where a walk from one edge of the page stops: the first position that differs. */
interface Edge {
  position: string | null
  /** How many rows from the edge share the position the walk started from. */
  offset: number
  unique: boolean
}

// Walk the positions from an edge of the page past those equal to the one before (the first
// compared with `compare`): DRF's loop of get_next_link and get_previous_link.
function walkFromEdge(positions: readonly string[], compare: string | null): Edge {
  let offset = 0
  let position: string | null = null
  for (const item of positions) {
    position = item
    if (item !== compare) return { position, offset, unique: true }
    compare = item
    offset++
  }
  return { position, offset, unique: false }
}

// DRF's get_next_link: the last position of the page that differs from the row after it, with
// an offset past the rows that share it.
function nextCursor(s: PageState): Cursor | null {
  if (!s.hasNext) return null
  const { page, cursor } = s
  if (!page.length) return { offset: 0, reverse: false, position: s.nextPosition }
  const compare = cursor?.reverse && cursor.offset ? page[page.length - 1] : s.nextPosition
  const edge = walkFromEdge([...page].reverse(), compare)
  if (edge.unique) return { offset: edge.offset, reverse: false, position: edge.position }
  // Every row shares one position: step over the whole page.
  if (!s.hasPrevious) return { offset: s.pageSize, reverse: false, position: null }
  if (cursor?.reverse) return { offset: 0, reverse: false, position: s.previousPosition }
  const offset = (cursor?.offset ?? 0) + s.pageSize
  return { offset, reverse: false, position: s.previousPosition }
}

// DRF's get_previous_link: the same from the page's first row, read backwards.
function previousCursor(s: PageState): Cursor | null {
  if (!s.hasPrevious) return null
  const { page, cursor } = s
  if (!page.length) return { offset: 0, reverse: true, position: s.previousPosition }
  const compare = cursor && !cursor.reverse && cursor.offset ? page[0] : s.previousPosition
  const edge = walkFromEdge(page, compare)
  if (edge.unique) return { offset: edge.offset, reverse: true, position: edge.position }
  if (!s.hasNext) return { offset: s.pageSize, reverse: true, position: null }
  if (cursor?.reverse) {
    return { offset: (cursor.offset ?? 0) + s.pageSize, reverse: true, position: s.nextPosition }
  }
  return { offset: 0, reverse: true, position: s.nextPosition }
}
