import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import { filterMethod } from 'portcullis'

/** How long a loan may stay out before it is overdue. */
const OVERDUE_AFTER_MS = 14 * 24 * 60 * 60 * 1000

// The seed's spellings; anything else leaves the list unfiltered.
const YES = new Set(['true', '1', 'yes'])
const NO = new Set(['false', '0', 'no'])

/**
 * `?has_overdue=true`: friends holding a belonging unreturned for more than 14 days; `false`:
 * friends holding none; any other value is ignored. One EXISTS subquery, in the list's scope.
 */
export const hasOverdue = filterMethod({
  schema: Type.String({
    description: 'true: friends holding a belonging for over 14 days; false: none.',
  }),
  where(query, value) {
    const raw = value.toLowerCase()
    const wanted = YES.has(raw) ? true : NO.has(raw) ? false : null
    if (wanted === null) return query
    const cutoff = new Date(Date.now() - OVERDUE_AFTER_MS).toISOString()
    return query.where((eb) => {
      const overdue = eb.exists(
        eb
          .selectFrom('borrowings')
          .select(sql.lit(1).as('one'))
          .whereRef('borrowings.to_who', '=', 'friends.id')
          // Only the friend's owner's own loans count, even if a foreign row ever slipped in.
          .whereRef('borrowings.owner_id', '=', 'friends.owner_id')
          .where('borrowings.returned', 'is', null)
          .where('borrowings.when', '<', cutoff),
      )
      return wanted ? overdue : eb.not(overdue)
    })
  },
})
