import { runAutocannon } from './autocannon-load.ts'
import type { RequestSpec } from './scenarios.ts'
import { runWrk, wrkInstalled } from './wrk-load.ts'

/** One load run, raw: latencies in milliseconds, one per response. */
export interface Run {
  latencies: Float64Array
  requests: number
  seconds: number
  /** Connection errors and timeouts: the client got no response at all. */
  errors: number
  /** Errors by kind (ECONNRESET, "request timed out"…): what went wrong, not just how often. */
  errorKinds: Record<string, number>
  statusCodes: Record<string, number>
  /** CPU seconds the load generator used: what the client took from the machine. */
  clientCpuSeconds: number
}

/** Several runs of one (server × endpoint) folded together; latencies in milliseconds. */
export interface Measurement extends Omit<Run, 'latencies'> {
  requestsPerSecond: number
  p50: number
  /** The median of the rounds' own p99s: a stall of the machine lands in one round, not all. */
  p99: number
  /** The p99 of every answer of every round pooled. */
  p99Pooled: number
  /** Each round's p99, in the order they ran. */
  p99Rounds: number[]
  /** Each round's requests a second, in the order they ran: the spread behind the mean. */
  rateRounds: number[]
}

/** What to hammer, how hard and for how long. */
export interface LoadOptions {
  origin: string
  request: RequestSpec
  connections: number
  seconds: number
}

/** The load generator: wrk when installed (or BENCH_LOADER=wrk), else autocannon. */
export type LoadGenerator = 'wrk' | 'autocannon'

let chosen: LoadGenerator | undefined

/** Which load generator this run uses: BENCH_LOADER, else wrk if it is on the PATH (asked once). */
export function chooseLoadGenerator(): LoadGenerator {
  if (chosen) return chosen
  const wanted = process.env.BENCH_LOADER
  if (wanted && wanted !== 'wrk' && wanted !== 'autocannon') {
    throw new Error('BENCH_LOADER must be wrk or autocannon')
  }
  chosen = (wanted as LoadGenerator | undefined) || (wrkInstalled() ? 'wrk' : 'autocannon')
  return chosen
}

/** One run of the chosen load generator. */
export function runLoad(options: LoadOptions): Promise<Run> {
  return chooseLoadGenerator() === 'wrk' ? runWrk(options) : runAutocannon(options)
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Fold the rounds of one (server × endpoint): throughput over their total time. */
export function combine(runs: Run[]): Measurement {
  const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0))
  let offset = 0
  const statusCodes: Record<string, number> = {}
  const errorKinds: Record<string, number> = {}
  const addTo = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n
  }
  for (const run of runs) {
    all.set(run.latencies, offset)
    offset += run.latencies.length
    addTo(statusCodes, run.statusCodes)
    addTo(errorKinds, run.errorKinds)
  }
  all.sort()
  const p99Rounds = runs.map((run) => percentile(Float64Array.from(run.latencies).sort(), 99))
  const sum = (pick: (r: Run) => number) => runs.reduce((n, r) => n + pick(r), 0)
  const requests = sum((r) => r.requests)
  const seconds = sum((r) => r.seconds)
  return {
    requestsPerSecond: requests / seconds,
    p50: percentile(all, 50),
    p99: median(p99Rounds),
    p99Pooled: percentile(all, 99),
    p99Rounds,
    rateRounds: runs.map((run) => run.requests / run.seconds),
    requests,
    seconds,
    errors: sum((r) => r.errors),
    clientCpuSeconds: sum((r) => r.clientCpuSeconds),
    errorKinds,
    statusCodes,
  }
}
