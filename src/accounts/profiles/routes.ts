import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { viewset } from '../../framework/resources/viewset.ts'
import { ProfileSchema } from './schema.ts'

/** `/profiles/`: every user's profile, read-only, to any authenticated user; `?search=` city. */
export const profiles = viewset({
  basename: 'profile',
  table: 'profiles',
  schema: ProfileSchema,
  permissions: [IsAuthenticated],
  actions: ['list', 'retrieve'],
  query: (db) =>
    db
      .selectFrom('profiles')
      .innerJoin('users', 'users.id', 'profiles.user_id')
      .select([
        'profiles.id',
        'users.username as user',
        'profiles.avatar',
        'profiles.bio',
        'profiles.city',
      ]),
  search: ['profiles.city'],
})
