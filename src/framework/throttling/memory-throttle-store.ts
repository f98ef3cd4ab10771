import { type HitResult, type ThrottleStore, waitSeconds } from './throttle-store.ts'

// Histories are swept every so many hits, so keys of clients that went away do not pile up.
const SWEEP_EVERY = 10_000

interface History {
  /** Request times in the window, oldest first. */
  times: number[]
  /** When the newest of them leaves the window: the history is worthless after that. */
  expires: number
}

/** Sliding-window histories in this process's memory (the default for one process). */
export function memoryThrottleStore(): ThrottleStore {
  const histories = new Map<string, History>()
  let hits = 0

  return {
    // In this process's memory: answered at once, no promise.
    hit(key, limit, windowMs, now): HitResult {
      if (++hits % SWEEP_EVERY === 0) {
        for (const [k, h] of histories) if (h.expires <= now) histories.delete(k)
      }
      const history = histories.get(key) ?? { times: [], expires: 0 }
      // Most hits find nothing expired: the history is copied only when something is.
      if (history.times.length > 0 && history.times[0] <= now - windowMs) {
        history.times = history.times.filter((t) => t > now - windowMs)
      }
      if (history.times.length >= limit) {
        const { times } = history
        return {
          allowed: false,
          waitSeconds: waitSeconds(times[0], times.length, limit, windowMs, now),
        }
      }
      history.times.push(now)
      history.expires = now + windowMs
      histories.set(key, history)
      return { allowed: true, waitSeconds: 0 }
    },
  }
}
