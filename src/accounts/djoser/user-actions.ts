import type { FastifyReply, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { uniqueViolation } from '../../framework/db/unique-violation.ts'
import { NotFound } from '../../framework/errors.ts'
import { resourceSchema } from '../../framework/schema/index.ts'
import { assertMayChangeUser } from '../permissions/user-authority.ts'
import type { UserRow } from '../tables.ts'
import { deleteUser, storeEmail, userRowById } from '../user-changes.ts'
import { sendActivationMail } from './account-mails.ts'
import { validateWithCurrentPassword } from './current-password.ts'
import { DjoserUserSchema, userBody, validateUserChanges } from './user-serializer.ts'

// djoser's UserDeleteSerializer: nothing but the current password.
const NoFields = resourceSchema('user', {})

/**
 * djoser's update: a new email, and with activation on, a changed email deactivates the account
 * and mails an activation link to the new address (djoser 2.1's UserSerializer.update).
 */
export async function updateUser(
  request: FastifyRequest,
  user: Pick<UserRow, 'id' | 'email'>,
  partial: boolean,
) {
  const { db } = request.server
  // Staff see every user, but change only those who hold nothing they lack (no takeover).
  await assertMayChangeUser(db, request.user!, user.id)
  const changes = await validateUserChanges(db, user.id, requestData(request), partial)
  const settings = request.server.accountsSettings.djoser
  if (changes.email !== undefined) {
    const reactivate = settings.sendActivationEmail && changes.email !== user.email
    try {
      await storeEmail(db, user.id, changes.email, reactivate ? false : undefined)
    } catch (err) {
      // Two requests may pass the uniqueness check at once; the unique index has the last word.
      const violation = uniqueViolation(err)
      throw (violation && DjoserUserSchema.uniqueError(violation)) ?? err
    }
  }
  const updated = await userRowById(db, user.id)
  // Deleted by a concurrent request: as gone as any other missing user.
  if (!updated) throw new NotFound()
  if (settings.sendActivationEmail && !updated.is_active) {
    await sendActivationMail(request, updated, settings)
  }
  return userBody(updated)
}

/** djoser's destroy: the requester's current password, then the user and all they own go. */
export async function destroyUser(
  request: FastifyRequest,
  reply: FastifyReply,
  user: Pick<UserRow, 'id'>,
) {
  await assertMayChangeUser(request.server.db, request.user!, user.id)
  await validateWithCurrentPassword(request, NoFields, requestData(request))
  // Sessions in Redis do not cascade with the rows: ended first, so an unreachable Redis (503)
  // leaves the account as it was rather than deleted with live sessions.
  await request.server.sessions.deleteAllForUser(user.id)
  await deleteUser(request.server.db, user.id)
  return reply.code(204).send()
}
