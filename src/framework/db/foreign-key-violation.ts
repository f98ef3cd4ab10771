/** Whether a driver error (SQLite or PostgreSQL) is a foreign-key violation. */
export function isForeignKeyViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code } = err as { code?: unknown }
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503'
}
