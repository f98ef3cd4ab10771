/** A rate: so many requests per window. */
export interface Rate {
  limit: number
  windowSeconds: number
}

const PERIODS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/**
 * Parse DRF's rate syntax: `100/min`, `5/m`, `1000/day`, `10/second` (the period's first letter
 * counts, as in DRF). Throws on anything else: a typo in a rate must stop the start, not turn
 * the limit off.
 */
export function parseRate(rate: string): Rate {
  const match = /^\s*(\d+)\s*\/\s*([smhd])[a-z]*\s*$/i.exec(rate)
  if (!match || Number(match[1]) <= 0) {
    throw new Error(`invalid throttle rate "${rate}": use N/s, N/min, N/hour or N/day`)
  }
  return { limit: Number(match[1]), windowSeconds: PERIODS[match[2].toLowerCase()] }
}

/** Rates by scope from `THROTTLE_RATES="anon=100/min,user=1000/day,login=5/min"`. */
export function parseRates(spec: string | undefined): Record<string, Rate> {
  const rates: Record<string, Rate> = {}
  for (const entry of (spec ?? '').split(',').filter((e) => e.trim())) {
    const [scope, rate] = entry.split('=')
    if (!scope?.trim() || rate === undefined) {
      throw new Error(`invalid THROTTLE_RATES entry "${entry}": use scope=N/period`)
    }
    rates[scope.trim()] = parseRate(rate)
  }
  return rates
}
