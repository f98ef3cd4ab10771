import type { Database } from '../../framework/db/database.ts'
import { hashPassword } from '../user-changes.ts'

/**
 * Replace a user's password only if its hash is still `currentHash`, and say whether it was.
 * A reset link is checked against the current hash; swapping it in the same statement makes
 * the link single-use even when two requests present it at once.
 */
export async function replacePassword(
  db: Database,
  userId: string,
  currentHash: string,
  password: string,
): Promise<boolean> {
  // Hashed first: argon2 is slow and must not run inside the statement's critical path.
  const hash = await hashPassword(password)
  const result = await db
    .updateTable('users')
    .set({ password: hash })
    .where('id', '=', userId)
    .where('password', '=', currentHash)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
