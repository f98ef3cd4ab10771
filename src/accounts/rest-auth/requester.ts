import type { FastifyRequest } from 'fastify'
import { NotAuthenticated } from '../../framework/errors.ts'
import type { User } from '../user.ts'
import { findUser } from './user-details.ts'

/**
 * The authenticated requester as stored now. A user deleted between authentication and this
 * read is no longer logged in (401), rather than a crash.
 */
export async function requester(request: FastifyRequest): Promise<User> {
  const user = request.user && (await findUser(request.server.db, request.user.id))
  if (!user) throw new NotAuthenticated()
  return user
}
