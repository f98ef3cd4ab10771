import type { Database } from '../../framework/db/database.ts'
import { createProfiles } from '../profiles/create-profiles.ts'
import type { DjangoDump } from './django-dump.ts'
import {
  type ImportPlan,
  type PlannedToken,
  type PlannedUser,
  planDjangoImport,
} from './django-import-plan.ts'
import { type Progress, progressBar } from './progress-bar.ts'

// Rows per transaction: large enough to be fast, small enough not to hold the write lock long.
const BATCH = 200

/** What the import wrote. */
interface Written {
  users: number
  tokens: number
}

/** Insert one batch's users, then those users' tokens, in one transaction; returns the ids written. */
async function insertBatch(db: Database, users: PlannedUser[], tokens: PlannedToken[]) {
  return db.transaction().execute(async (trx) => {
    // DO NOTHING on any unique conflict: a row that became a duplicate since planning (a
    // concurrent sign-up) is reported as skipped, never an error that undoes the batch.
    const inserted = await trx
      .insertInto('users')
      .values(users.map(({ row }) => row))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute()
    const userIds = new Set(inserted.map((u) => u.id))
    // Every user has a profile: imported users get theirs in the batch that inserts them.
    await createProfiles(trx, [...userIds])
    const own = tokens.filter(({ row }) => userIds.has(row.user_id))
    const rows = own.length
      ? await trx
          .insertInto('auth_tokens')
          .values(own.map(({ row }) => row))
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .execute()
      : []
    return { userIds, tokenIds: new Set(rows.map((r) => r.id)) }
  })
}

/** Insert the plan in batches, each batch's users with their tokens. */
async function insertPlan(db: Database, plan: ImportPlan, progress: Progress): Promise<Written> {
  const written: Written = { users: 0, tokens: 0 }
  for (let i = 0; i < plan.users.length; i += BATCH) {
    const batch = plan.users.slice(i, i + BATCH)
    const tokens = batch.flatMap(({ row }) => plan.tokens.get(row.id) ?? [])
    const { userIds, tokenIds } = await insertBatch(db, batch, tokens)
    for (const { label, row } of batch) {
      if (userIds.has(row.id)) written.users++
      else plan.skippedUsers.push(`${label}: username or email already used`)
    }
    for (const { label, row } of tokens) {
      if (tokenIds.has(row.id)) written.tokens++
      else if (!userIds.has(row.user_id)) plan.skippedTokens.push(`${label}: user not imported`)
      else plan.skippedTokens.push(`${label}: already imported`)
    }
    progress.advance(batch.length + tokens.length)
  }
  return written
}

function report(written: Written, plan: ImportPlan, ignored: number): string {
  const skipped = [...plan.skippedUsers, ...plan.skippedTokens]
  const lines = [
    `Imported ${written.users} users, ${written.tokens} tokens; ` +
      `skipped ${plan.skippedUsers.length} users, ${plan.skippedTokens.length} tokens${skipped.length ? ':' : '.'}`,
    ...skipped,
  ]
  if (ignored) lines.push(`Ignored ${ignored} records of other models.`)
  return lines.join('\n')
}

/**
 * `manage import-django-users FILE`: the users and tokens of a Django dump, with their password
 * hashes and token keys, so people log in and clients authenticate as before. Returns the report.
 */
export async function importDjangoUsers(
  db: Database,
  dump: DjangoDump,
  startProgress: (total: number) => Progress = (total) => progressBar('Importing', total),
): Promise<string> {
  const plan = await planDjangoImport(db, dump)
  const tokenCount = [...plan.tokens.values()].reduce((n, list) => n + list.length, 0)
  const progress = startProgress(plan.users.length + tokenCount)
  const written = await insertPlan(db, plan, progress)
  progress.finish()
  return report(written, plan, dump.ignored)
}
