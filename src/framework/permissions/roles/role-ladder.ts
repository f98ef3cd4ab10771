/**
 * Ordered roles where each includes the ones before it (viewer < editor < admin < owner): the
 * comparisons every role check needs, so no app compares role names by hand.
 */
export interface RoleLadder<R extends string> {
  /** The roles, lowest first. */
  readonly roles: readonly R[]
  /** Whether a value names one of the roles (input from a body, a column). */
  isRole(value: unknown): value is R
  /** Whether `role` is at least `needed`; no role is below every role. */
  atLeast(role: R | null, needed: R): boolean
  /** The higher of two roles, either of which may be absent. */
  higher(a: R | null, b: R | null): R | null
}

/** A ladder of `roles`, lowest first. */
export function roleLadder<const R extends string>(roles: readonly R[]): RoleLadder<R> {
  const rank = new Map<string, number>(roles.map((role, i) => [role, i]))
  const rankOf = (role: R | null) => (role === null ? -1 : (rank.get(role) ?? -1))
  return {
    roles,
    isRole: (value): value is R => typeof value === 'string' && rank.has(value),
    atLeast: (role, needed) => role !== null && rankOf(role) >= rankOf(needed),
    higher: (a, b) => (rankOf(a) >= rankOf(b) ? a : b),
  }
}
