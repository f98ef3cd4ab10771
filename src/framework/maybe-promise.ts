/**
 * A value now or later. SQLite answers synchronously and most permission checks are plain
 * comparisons: the request pipeline takes a turn of the event loop only where something is
 * really awaited (PostgreSQL, Redis, a password hash), not once per layer.
 */
export type MaybePromise<T> = T | Promise<T>

/** Whether a value is still to come (a thenable). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/** `next(value)`, at once when the value is already here; a throw stays a throw. */
export function andThen<T, U>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<U>,
): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value)
}
