import { Type } from '@sinclair/typebox'
import { IsAuthenticated, IsOwnerOrReadOnly, queryParam, viewset } from 'portcullis'
import { StatusSchema } from './schema.ts'

/**
 * `/status/`: everyone's statuses, newest first, to any authenticated user; `?username=` keeps
 * one author's. Only the author changes or deletes one (IsOwnerOrReadOnly: 403 for others).
 */
export const statuses = viewset({
  basename: 'status',
  table: 'statuses',
  schema: StatusSchema,
  permissions: [IsAuthenticated, IsOwnerOrReadOnly],
  query: (db) =>
    db
      .selectFrom('statuses')
      .innerJoin('profiles', 'profiles.id', 'statuses.profile_id')
      .innerJoin('users', 'users.id', 'profiles.user_id')
      .select([
        'statuses.id',
        'users.username as user_profile',
        'statuses.status_content',
        'statuses.created_at',
        'statuses.updated_at',
        // The owner IsOwnerOrReadOnly compares with the user: the profile's user.
        'profiles.user_id as owner_id',
      ]),
  scope(request) {
    // One value even when the name is repeated (an array here was a 500).
    const username = queryParam(request, 'username')
    return username === undefined ? null : { 'users.username': username }
  },
  filters: { username: Type.String({ description: "Only this user's statuses." }) },
  async performCreate(request, data, trx) {
    const profile = await trx
      .selectFrom('profiles')
      .select('id')
      .where('user_id', '=', request.user!.id)
      .executeTakeFirstOrThrow()
    return { status_content: data.status_content, profile_id: profile.id }
  },
  performUpdate: (_request, data) =>
    data.status_content === undefined ? {} : { status_content: data.status_content },
  ordering: { fields: {}, default: ['-statuses.created_at', '-statuses.id'] },
})
