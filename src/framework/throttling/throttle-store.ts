import type { MaybePromise } from '../maybe-promise.ts'

/** The answer of a store to one hit: allowed, or how long until it would be. */
export interface HitResult {
  allowed: boolean
  /** Seconds until a request would be allowed (DRF's `wait()`), when not allowed. */
  waitSeconds: number
}

/**
 * Where throttle histories live (memory by default, Redis when shared by processes). `hit` checks
 * and records in one step, so two processes can never both take the last slot.
 */
export interface ThrottleStore {
  hit(key: string, limit: number, windowMs: number, now: number): MaybePromise<HitResult>
}

/**
 * DRF's wait: the time until the oldest request in the window leaves it, spread over the
 * requests that will then be free.
 */
export function waitSeconds(
  oldest: number,
  count: number,
  limit: number,
  windowMs: number,
  now: number,
) {
  const remaining = windowMs - (now - oldest)
  const available = limit - count + 1
  return Math.max(0, remaining / 1000 / Math.max(1, available))
}
