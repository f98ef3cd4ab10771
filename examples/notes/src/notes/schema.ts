import { f, resourceSchema } from 'portcullis'

/** A user as a note or a comment shows its author. */
const UserSummary = resourceSchema('user', {
  id: f.uuid({ readOnly: true }),
  username: f.string({ readOnly: true }),
})

/** A note as clients see it; the owner is the requester, shown and never taken from the body. */
export const NoteSchema = resourceSchema('note', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 200 }),
  body: f.string({ default: '' }),
  owner: f.nested(UserSummary, { table: 'users', from: 'owner_id' }),
  // Who else reads the note: ids of active users; an unknown or inactive one is a 400.
  readers: f.manyRelated({
    table: 'users',
    pkType: 'uuid',
    through: { table: 'note_readers', from: 'note_id', to: 'user_id' },
    scope: (_request, users) => users.where('users.is_active', '=', true),
    required: false,
  }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})

/** A comment under a note; its note is the URL's and its author the requester. */
export const CommentSchema = resourceSchema('comment', {
  id: f.integer({ readOnly: true }),
  author: f.nested(UserSummary, { table: 'users', from: 'author_id' }),
  body: f.string({ maxLength: 2000 }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})
