import type { FastifyRequest } from 'fastify'
import type { RowQuery } from 'portcullis'

/**
 * The seed's get_queryset: published surveys, plus the requester's own drafts. Applied to lists
 * and to detail URLs alike, so another user's draft answers 404 exactly as a missing id does.
 */
export function publishedOrOwnDrafts<Row>(request: FastifyRequest, query: RowQuery<Row>) {
  const user = request.user
  // A draft is private: its existence is not even confirmed to anyone but its creator.
  if (user === null) return query.where('surveys.status', '=', 'published')
  return query.where((eb) =>
    eb.or([eb('surveys.status', '=', 'published'), eb('surveys.creator_id', '=', user.id)]),
  )
}
