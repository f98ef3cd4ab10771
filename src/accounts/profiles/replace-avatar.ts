import type { Database } from '../../framework/db/database.ts'
import { isPostgres } from '../../framework/db/dialect.ts'
import { NotFound } from '../../framework/errors.ts'

/**
 * Point a user's profile at a stored avatar; returns the name it replaces (to delete once this
 * has committed), or null. A user with no profile is 404.
 */
export async function replaceAvatar(db: Database, userId: string, name: string) {
  return db.transaction().execute(async (trx) => {
    let current = trx.selectFrom('profiles').select('avatar').where('user_id', '=', userId)
    // Two uploads at once: the row lock makes the second replace (and delete) the first's file,
    // so none is orphaned. SQLite runs one write transaction at a time already.
    if (isPostgres(trx)) current = current.forUpdate()
    const profile = await current.executeTakeFirst()
    if (!profile) throw new NotFound()
    await trx.updateTable('profiles').set({ avatar: name }).where('user_id', '=', userId).execute()
    return profile.avatar
  })
}
