import { IsAuthenticated, IsOwnerOrReadOnly, ScopedRateThrottle, viewset } from 'portcullis'
import { CommentSchema, NoteSchema } from './schema.js'

/**
 * `/notes/`: your notes and those shared with you (another's is 404, as if it did not exist);
 * only the owner changes one; creating is limited by the `notes.create` rate.
 */
export const notes = viewset({
  basename: 'note',
  table: 'notes',
  schema: NoteSchema,
  permissions: [IsAuthenticated, IsOwnerOrReadOnly],
  query: (db) => db.selectFrom('notes').select(['id', 'title', 'body', 'owner_id', 'created_at']),
  // Yours, or one you read (Django's `Q(owner=user) | Q(readers=user)`).
  scope: (request) => [
    { 'notes.owner_id': request.user!.id },
    { 'readers.user_id': request.user!.id },
  ],
  // The owner is the requester, never a value from the body.
  performCreate: (request, data) => ({ ...data, owner_id: request.user!.id }),
  policies: { create: { throttles: [ScopedRateThrottle('notes.create')] } },
  filterFields: { created_at: ['gte', 'lte'] },
  ordering: { fields: { id: 'notes.id', title: 'notes.title' }, default: ['notes.id'] },
  search: ['notes.title', 'notes.body'],
})

/** `/notes/{note}/comments/`: anyone who reads the note comments; only the author changes one. */
export const comments = viewset({
  basename: 'comment',
  table: 'comments',
  schema: CommentSchema,
  permissions: [IsAuthenticated, IsOwnerOrReadOnly],
  ownerField: 'author_id',
  query: (db) => db.selectFrom('comments').select(['id', 'author_id', 'body', 'created_at']),
  performCreate: (request, data) => ({ ...data, author_id: request.user!.id }),
})
