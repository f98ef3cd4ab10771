import type { FastifyRequest } from 'fastify'
import type { Scoping } from 'portcullis'

/**
 * The seed's get_queryset: published surveys, plus the requester's own drafts. Applied to lists
 * and to detail URLs alike, so another user's draft answers 404 exactly as a missing id does.
 */
export function publishedOrOwnDrafts(request: FastifyRequest): Scoping {
  const user = request.user
  // A draft is private: its existence is not even confirmed to anyone but its creator.
  if (user === null) return { 'surveys.status': 'published' }
  return [{ 'surveys.status': 'published' }, { 'surveys.creator_id': user.id }]
}
