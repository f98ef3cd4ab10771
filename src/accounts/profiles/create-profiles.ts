import type { Database } from '../../framework/db/database.ts'

/** Give new users their (empty) profiles; call it in the transaction that inserts the users. */
export async function createProfiles(trx: Database, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return
  await trx
    .insertInto('profiles')
    .values(userIds.map((user_id) => ({ user_id })))
    .execute()
}
