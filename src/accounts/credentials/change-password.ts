import type { FastifyRequest } from 'fastify'
import type { Database } from '../../framework/db/database.ts'
import { hashPassword } from '../user-changes.ts'
import { endOtherCredentials } from './end-other-credentials.ts'

/** How a password change is made: on a reset, as a login, and only over a known hash. */
export interface PasswordChangeOptions {
  /** Record a login too (djoser's reset confirm does: the link then voids itself). */
  loggedInAt?: Date
  /**
   * Replace the password only if its hash is still this one (the hash a reset link was checked
   * against), in the same statement, so a link works once even when two requests present it.
   */
  onlyIfHashIs?: string
}

// Thrown inside the transaction to roll the revocations back with the refused swap.
class HashMoved extends Error {}

async function storeHash(
  db: Database,
  userId: string,
  hash: string,
  options: PasswordChangeOptions,
): Promise<void> {
  let query = db
    .updateTable('users')
    .set({
      password: hash,
      ...(options.loggedInAt && { last_login: options.loggedInAt.toISOString() }),
    })
    .where('id', '=', userId)
  if (options.onlyIfHashIs !== undefined) query = query.where('password', '=', options.onlyIfHashIs)
  const result = await query.executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw new HashMoved()
}

/**
 * Set a user's new password (hashed before any transaction opens) and, in the same commit, end
 * their other credentials (endOtherCredentials). False when `onlyIfHashIs` no longer matched:
 * nothing changed then.
 */
export async function changePassword(
  request: FastifyRequest,
  userId: string,
  password: string,
  options: PasswordChangeOptions = {},
): Promise<boolean> {
  const hash = await hashPassword(password)
  try {
    await endOtherCredentials(request, userId, (trx) => storeHash(trx, userId, hash, options))
    return true
  } catch (err) {
    if (err instanceof HashMoved) return false
    throw err
  }
}
