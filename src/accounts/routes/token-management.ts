import type { FastifyRequest } from 'fastify'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { Router } from '../../framework/resources/router.ts'
import { viewset } from '../../framework/resources/viewset.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import type { TokenRecord } from '../tokens.ts'

/** A token as its owner sees it: when and by what it was used, never the key or its hash. */
export const TokenSchema = resourceSchema('token', {
  id: f.string({ readOnly: true }),
  name: f.string({ readOnly: true, description: 'The client that logged in (its User-Agent).' }),
  created: f.datetime({ readOnly: true }),
  last_used: f.datetime({ readOnly: true, nullable: true }),
  expires: f.datetime({ readOnly: true, nullable: true }),
  current: f.boolean({ readOnly: true, description: 'Whether this token sent the request.' }),
})

// Only a token-authenticated request has a current token: a session's record has an id too.
function currentTokenId(request: FastifyRequest): string | null {
  if (request.authenticator?.name !== 'token') return null
  return (request.auth as TokenRecord).id
}

/**
 * `/auth/tokens/`: the requesting user's own tokens, newest first, and `DELETE {id}/` to
 * revoke one (e.g. a lost phone's) while the user's other devices stay logged in.
 */
export const tokenViewset = viewset({
  basename: 'token',
  table: 'auth_tokens',
  schema: TokenSchema,
  permissions: [IsAuthenticated],
  actions: ['list', 'destroy'],
  query: (db) =>
    db
      .selectFrom('auth_tokens')
      .select([
        'auth_tokens.id',
        'auth_tokens.name',
        'auth_tokens.created',
        'auth_tokens.last_used',
        'auth_tokens.expires',
      ]),
  perRequestQuery(request, query) {
    const current = currentTokenId(request)
    // Scoped to the owner: another user's token id is a 404 exactly like an unknown one.
    const own = query.where('auth_tokens.user_id', '=', request.user!.id)
    // SQLite answers the comparison as 0/1; the boolean field's serializer makes it true/false.
    return own.select((eb) =>
      (current === null ? eb.lit(false) : eb('auth_tokens.id', '=', current)).as('current'),
    )
  },
  ordering: { fields: {}, default: ['-auth_tokens.created', '-auth_tokens.id'] },
})

/** The token management routes, mounted at `/auth/tokens/`. */
export const tokenRouter = new Router().register('auth/tokens', tokenViewset)
