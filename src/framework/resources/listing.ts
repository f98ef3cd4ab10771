import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import { type CompiledFilters, compileFilters } from './field-filters/field-filters.ts'
import { pageNumberPagination } from './paginators/page-number.ts'
import type { Paginator } from './paginators/paginator.ts'
import { unpaginated } from './paginators/unpaginated.ts'
import type { ViewsetDefinition } from './viewset.ts'

/** How a viewset's list pages and filters, bound to it once at start. */
export interface Listing {
  paginator: Paginator
  filters: CompiledFilters
}

// Every parameter a list may read besides its filters, whichever paginator it has: a filter
// named like one would be shadowed by it, or shadow it after a change of paginator.
const RESERVED = new Set([
  'page',
  'page_size',
  'limit',
  'offset',
  'cursor',
  'search',
  'ordering',
  'format',
])

// DRF's default: numbered pages of 20, `?page_size=` up to 100.
const DEFAULT = pageNumberPagination()

/** Bind a viewset's `pagination` and compile its `filterFields`; a mistake is a SetupError. */
export function listingOf<F extends FieldMap, Row extends ObjectRow>(
  vs: ViewsetDefinition<F, Row>,
): Listing {
  const fields = vs.schema.fields
  const has = (name: string) => Object.hasOwn(fields, name)
  const paginator =
    vs.pagination === false
      ? unpaginated
      : (vs.pagination ?? DEFAULT).bind({
          basename: vs.basename,
          columnOf: (name) => (has(name) ? `${vs.table}.${name}` : null),
          fieldOf: (name) =>
            has(name)
              ? { kind: fields[name].kind, nullable: fields[name].options.nullable === true }
              : null,
          ordersByClient: vs.ordering !== undefined,
          pkColumn: `${vs.table}.${vs.pk ?? 'id'}`,
        })
  const reserved = new Set([...RESERVED, ...Object.keys(paginator.query)])
  const filters = compileFilters(
    { basename: vs.basename, table: vs.table, fields, reserved },
    vs.filterFields,
  )
  return { paginator, filters }
}
