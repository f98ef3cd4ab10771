import { IsAuthenticated, IsOwner, viewset } from 'portcullis'
import { NoteSchema } from './schema.js'

/** `/notes/`: your own notes; another user's note is 404, as if it did not exist. */
export const notes = viewset({
  basename: 'note',
  table: 'notes',
  schema: NoteSchema,
  permissions: [IsAuthenticated, IsOwner],
  query: (db) => db.selectFrom('notes').select(['id', 'title', 'body', 'owner_id', 'created_at']),
  scope: (request) => ({ 'notes.owner_id': request.user!.id }),
  // The owner is the requester, never a value from the body.
  performCreate: (request, data) => ({ ...data, owner_id: request.user!.id }),
  ordering: { fields: { id: 'notes.id', title: 'notes.title' }, default: ['notes.id'] },
  search: ['notes.title', 'notes.body'],
})
