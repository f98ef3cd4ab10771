/**
 * Whether text holds U+0000. PostgreSQL cannot store it and refuses a query that binds it, and
 * string fields refuse it on the way in, so such text names no stored row: a lookup by it is a
 * miss, answered without asking the database.
 */
export function holdsNul(text: string): boolean {
  return text.includes('\0')
}
