import { type HitResult, type ThrottleStore, waitSeconds } from './throttle-store.ts'

// Histories are swept every so many hits, so keys of clients that went away do not pile up.
const SWEEP_EVERY = 10_000

interface History {
  /** Request times, oldest first; those before `head` have left the window. */
  times: number[]
  head: number
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
      let history = histories.get(key)
      if (history === undefined) {
        history = { times: [], head: 0, expires: 0 }
        histories.set(key, history)
      }
      const { times } = history
      // Times that left the window are stepped over, and dropped in one go once they are half
      // the history: a hit costs the same at 5 a minute as at 100,000 (a copy per hit did not).
      let { head } = history
      while (head < times.length && times[head] <= now - windowMs) head++
      if (head > 0 && head * 2 >= times.length) {
        times.splice(0, head)
        head = 0
      }
      history.head = head
      const count = times.length - head
      if (count >= limit) {
        return {
          allowed: false,
          waitSeconds: waitSeconds(times[head], count, limit, windowMs, now),
        }
      }
      times.push(now)
      history.expires = now + windowMs
      return { allowed: true, waitSeconds: 0 }
    },
  }
}
