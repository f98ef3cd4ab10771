import { f, resourceSchema } from 'portcullis'

/** A friend; the owner is the requester, never shown and never taken from the body. */
export const FriendSchema = resourceSchema('friend', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
})

/** A belonging; owned like a friend. */
export const BelongingSchema = resourceSchema('belonging', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
})

/** A loan: one of the requester's belongings, to one of the requester's friends. */
export const BorrowingSchema = resourceSchema('borrowing', {
  id: f.integer({ readOnly: true }),
  // Only the requester's own rows may be named: another user's id reads as a missing one.
  what: f.relatedPk({
    table: 'belongings',
    scope: (request, query) => query.where('owner_id', '=', request.user!.id),
  }),
  to_who: f.relatedPk({
    table: 'friends',
    scope: (request, query) => query.where('owner_id', '=', request.user!.id),
  }),
  // Writable, so an old loan can be recorded; the model's default (now) is set on create.
  when: f.datetime({ required: false }),
  returned: f.datetime({ required: false, nullable: true }),
})
