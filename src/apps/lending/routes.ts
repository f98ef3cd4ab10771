import type { FastifyRequest } from 'fastify'
import { IsAuthenticated, listsOnly, Router, viewset } from 'portcullis'
import { hasOverdue } from './filters.ts'
import { IsOwner } from './permissions.ts'
import { BelongingSchema, BorrowingSchema, FriendSchema } from './schema.ts'

const permissions = [IsAuthenticated, IsOwner]

/**
 * The seed's OwnedViewSet queryset: lists show the requester's own rows; a detail URL loads any
 * row, so that IsOwner answers someone else's with 403 "Not an owner." (anchor item 13).
 */
const ownedInLists = (table: string) =>
  listsOnly((request) => ({ [`${table}.owner_id`]: request.user!.id }))

// The owner is always the requester: `owner` is no field of the schemas, so a posted one is
// dropped by validation and can never reach the row.
const ownedByRequester = <T>(request: FastifyRequest, data: T) => ({
  ...data,
  owner_id: request.user!.id,
})

/** `/friends/`: the requester's friends, `?has_overdue=`, `?search=` and `?ordering=` by name. */
export const friends = viewset({
  basename: 'friend',
  table: 'friends',
  schema: FriendSchema,
  permissions,
  query: (db) =>
    db.selectFrom('friends').select(['friends.id', 'friends.name', 'friends.owner_id']),
  scope: ownedInLists('friends'),
  filterFields: { has_overdue: hasOverdue },
  performCreate: ownedByRequester,
  ordering: { fields: { id: 'friends.id', name: 'friends.name' }, default: ['friends.id'] },
  search: ['friends.name'],
})

/** `/belongings/`: the requester's things, `?search=` and `?ordering=` by name. */
export const belongings = viewset({
  basename: 'belonging',
  table: 'belongings',
  schema: BelongingSchema,
  permissions,
  query: (db) =>
    db.selectFrom('belongings').select(['belongings.id', 'belongings.name', 'belongings.owner_id']),
  scope: ownedInLists('belongings'),
  performCreate: ownedByRequester,
  ordering: {
    fields: { id: 'belongings.id', name: 'belongings.name' },
    default: ['belongings.id'],
  },
  search: ['belongings.name'],
})

/** `/borrowings/`: the requester's loans, `?ordering=` by id, when or returned. */
export const borrowings = viewset({
  basename: 'borrowing',
  table: 'borrowings',
  schema: BorrowingSchema,
  permissions,
  query: (db) =>
    db
      .selectFrom('borrowings')
      .select([
        'borrowings.id',
        'borrowings.what',
        'borrowings.to_who',
        'borrowings.when',
        'borrowings.returned',
        'borrowings.owner_id',
      ]),
  scope: ownedInLists('borrowings'),
  // `when` defaults to the moment of the loan, as the seed's model does.
  performCreate: (request, data) =>
    ownedByRequester(request, { ...data, when: data.when ?? new Date().toISOString() }),
  ordering: {
    fields: { id: 'borrowings.id', when: 'borrowings.when', returned: 'borrowings.returned' },
    default: ['borrowings.id'],
  },
})

/** Seed 001's routes; the server mounts them under `/api/v1/` with their root view. */
export const lendingRouter = new Router()
  .register('friends', friends)
  .register('belongings', belongings)
  .register('borrowings', borrowings)
