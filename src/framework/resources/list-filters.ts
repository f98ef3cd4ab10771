import type { TSchema } from '@sinclair/typebox'

/**
 * What a viewset's list lets the client narrow and order it by (DRF's filter backends), from its
 * definition: the browsable page builds its Filters dialog from this, never from guesses.
 */
export interface ListFilters {
  /** Whether `?search=` searches the list. */
  search: boolean
  /** The `?ordering=` names the list accepts, ascending (`-name` orders descending). */
  ordering: string[]
  /** Every other filter's query parameter (`status`, `created__gte`, `has_overdue`) and its schema. */
  fields: Record<string, TSchema>
}
