import { Type } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import { NotFound } from '../../../framework/errors.ts'
import { IsAdminUser } from '../../../framework/permissions/is-admin-user.ts'
import { grant, grantsOf, type Holder, revoke } from '../grants.ts'
import { accountsPermissionBackend } from '../permission-backend.ts'
import { assertMayChangeUser, assertMayGrant } from '../user-authority.ts'
import { CodenamesBody, codenameInput } from './codename-input.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function userFromUrl(request: FastifyRequest): Promise<Holder & { kind: 'user' }> {
  const { id } = request.params as { id: string }
  // A malformed id names nobody: 404, like a missing user.
  const user = UUID.test(id)
    ? await request.server.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined
  if (!user) throw new NotFound()
  return { kind: 'user', id: user.id }
}

/**
 * `GET/POST/DELETE /auth/users/{id}/permissions/`: a user's direct codenames and, read-only,
 * all they hold with their groups' (Django's get_all_permissions); staff only.
 */
export function userPermissionRoutes(app: FastifyInstance) {
  const config: FastifyContextConfig = {
    permissions: [IsAdminUser],
    view: { name: 'user', action: 'permissions' },
    summary: "A user's permissions; POST grants and DELETE revokes codenames",
    // Read by POST and DELETE (GET sends none).
    body: CodenamesBody,
    responses: {
      200: Type.Object({
        permissions: Type.Array(Type.String()),
        all_permissions: Type.Array(Type.String()),
      }),
    },
  }
  const handler = async (request: FastifyRequest) => {
    const holder = await userFromUrl(request)
    const { db } = request.server
    if (request.method !== 'GET') await assertMayChangeUser(db, request.user!, holder.id)
    if (request.method === 'POST') {
      const codenames = codenameInput(request)
      await assertMayGrant(db, request.user!, codenames)
      await grant(db, holder, codenames)
    }
    if (request.method === 'DELETE') await revoke(db, holder, codenameInput(request))
    const all = await accountsPermissionBackend(db).permissionsOf(holder.id)
    return { permissions: await grantsOf(db, holder), all_permissions: [...all].sort() }
  }
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/auth/users/:id/permissions/',
    config,
    handler,
  })
}
