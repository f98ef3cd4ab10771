import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { memoryThrottleStore, parseRate, parseRates } from '../../../src/framework/index.ts'
import { waitSeconds } from '../../../src/framework/throttling/throttle-store.ts'

describe('parseRate', () => {
  it.each([
    ['100/min', { limit: 100, windowSeconds: 60 }],
    ['5/m', { limit: 5, windowSeconds: 60 }],
    ['10/second', { limit: 10, windowSeconds: 1 }],
    ['3/s', { limit: 3, windowSeconds: 1 }],
    ['1000/day', { limit: 1000, windowSeconds: 86_400 }],
    ['7/hour', { limit: 7, windowSeconds: 3600 }],
  ])('reads %s', (text, rate) => {
    expect(parseRate(text)).toEqual(rate)
  })

  it.each(['', '100', '0/min', 'x/min', '5/week', '5 per minute'])('refuses "%s"', (text) => {
    expect(() => parseRate(text)).toThrow(/invalid throttle rate/)
  })

  it('reads THROTTLE_RATES by scope and refuses a malformed entry', () => {
    expect(parseRates('anon=100/min, user=1000/day,login=5/min')).toEqual({
      anon: { limit: 100, windowSeconds: 60 },
      user: { limit: 1000, windowSeconds: 86_400 },
      login: { limit: 5, windowSeconds: 60 },
    })
    expect(parseRates(undefined)).toEqual({})
    expect(() => parseRates('anon')).toThrow(/THROTTLE_RATES/)
  })
})

describe('the memory store', () => {
  it("allows `limit` hits per sliding window and says how long to wait (DRF's formula)", async () => {
    const store = memoryThrottleStore()
    const minute = 60_000
    for (const at of [0, 1000, 2000]) {
      expect(await store.hit('k', 3, minute, at)).toEqual({ allowed: true, waitSeconds: 0 })
    }
    // The oldest hit (t=0) leaves the window at 60 s: 57 s from t=3 s, with one slot then free.
    expect(await store.hit('k', 3, minute, 3000)).toEqual({ allowed: false, waitSeconds: 57 })
    expect((await store.hit('k', 3, minute, 59_999)).allowed).toBe(false)
    expect((await store.hit('k', 3, minute, 60_001)).allowed).toBe(true)
    expect((await store.hit('other', 3, minute, 3000)).allowed).toBe(true)
  })

  it('does not count refused hits', async () => {
    const store = memoryThrottleStore()
    await store.hit('k', 1, 1000, 0)
    for (let t = 100; t < 1000; t += 100)
      expect((await store.hit('k', 1, 1000, t)).allowed).toBe(false)
    expect((await store.hit('k', 1, 1000, 1001)).allowed).toBe(true)
  })
})

describe('the memory store, against the plain sliding window', () => {
  it('answers as a list filtered on every hit would, over long random runs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(10, 50, 100, 1000),
        // Round gaps too, so hits often fall exactly a window after an earlier one.
        fc.array(fc.oneof(fc.constantFrom(0, 5, 10, 25, 50), fc.integer({ min: 0, max: 200 })), {
          minLength: 1,
          maxLength: 400,
        }),
        (limit, windowMs, gaps) => {
          const store = memoryThrottleStore()
          let kept: number[] = []
          let now = 0
          for (const gap of gaps) {
            now += gap
            kept = kept.filter((t) => t > now - windowMs)
            const allowed = kept.length < limit
            const expected = allowed
              ? { allowed, waitSeconds: 0 }
              : { allowed, waitSeconds: waitSeconds(kept[0], kept.length, limit, windowMs, now) }
            if (allowed) kept.push(now)
            expect(store.hit('k', limit, windowMs, now)).toEqual(expected)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
