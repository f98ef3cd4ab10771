/** What a unique-constraint failure names: the columns (best effort) and the index. */
export interface UniqueViolation {
  columns: string[]
  constraint: string | null
}

/** The unique violation behind a driver error (SQLite or PostgreSQL), or null for any other. */
export function uniqueViolation(err: unknown): UniqueViolation | null {
  if (typeof err !== 'object' || err === null) return null
  const e = err as { code?: string; message?: string; constraint?: string; detail?: string }
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: bucketlists.name" or "…failed: index 'users_email_unique'"
    const tail = e.message?.split('failed: ')[1] ?? ''
    const index = /^index '(.+)'$/.exec(tail)
    if (index) return { columns: [], constraint: index[1] }
    return { columns: tail.split(', ').map((c) => c.split('.').pop() ?? c), constraint: null }
  }
  if (e.code === '23505') {
    // "Key (name)=(x) already exists." or "Key (lower(email::text))=(…) already exists."
    const key = /^Key \((.+?)\)=/.exec(e.detail ?? '')?.[1] ?? ''
    const columns = key
      .replace(/lower\(|::\w+|\)/g, '')
      .split(', ')
      .filter(Boolean)
    return { columns, constraint: e.constraint ?? null }
  }
  return null
}
