import type { OrderTerm } from './filters.ts'
import type { ListQuery, RowWindow } from './paginators/paginator.ts'

type Row = Record<string, unknown>

// Values of one field compared as SQL would: numbers as numbers, anything else as text.
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function sorted(rows: Row[], order: readonly OrderTerm[]): Row[] {
  return [...rows].sort((a, b) => {
    for (const { column, desc } of order) {
      const c = compare(a[column], b[column])
      if (c !== 0) return desc ? -c : c
    }
    return 0
  })
}

/**
 * Objects already in memory as a list a paginator reads, as a table's list is read: in their
 * own order, or in the paginator's (a cursor's, by field name), windowed the same way.
 */
export function objectList<T extends Row>(
  objects: T[],
  order?: readonly OrderTerm[],
): ListQuery<T> {
  const rows = order?.length ? (sorted(objects, order) as T[]) : objects
  return {
    count: async () => rows.length,
    rows(window: RowWindow) {
      let found = window.reverse ? [...rows].reverse() : rows
      const after = window.after
      if (after && order?.length) {
        const field = order[0].column
        const past = after.op === '>' ? 1 : -1
        found = found.filter((row) => Math.sign(compare(row[field], after.value)) === past)
      }
      const start = window.offset ?? 0
      return window.limit === undefined
        ? found.slice(start)
        : found.slice(start, start + window.limit)
    },
  }
}
