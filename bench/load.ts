import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import type { RequestSpec } from './scenarios.ts'

/** One autocannon run, raw: latencies in milliseconds, one per response. */
export interface Run {
  latencies: Float64Array
  requests: number
  seconds: number
  /** Connection errors and timeouts: the client got no response at all. */
  errors: number
  /** Errors by kind (ECONNRESET, "request timed out"…): what went wrong, not just how often. */
  errorKinds: Record<string, number>
  statusCodes: Record<string, number>
}

/** Several runs of one (server × endpoint) folded together; latencies in milliseconds. */
export interface Measurement extends Omit<Run, 'latencies'> {
  requestsPerSecond: number
  p50: number
  p99: number
}

/** What to hammer, how hard and for how long. */
export interface LoadOptions {
  origin: string
  request: RequestSpec
  connections: number
  seconds: number
}

// Unique across rounds and runs of one process; the random part across processes.
const runId = randomBytes(4).toString('hex')
let sequence = 0

/** A request builder step that gives every request its own `[<id>]` in the body. */
function unique(template = '') {
  return <T extends { body?: string }>(request: T): T => ({
    ...request,
    body: template.replaceAll('[<id>]', `${runId}-${++sequence}`),
  })
}

/**
 * Run autocannon in this process against a server in another one. Latencies are collected from
 * the per-response times rather than autocannon's histogram, which keeps whole milliseconds:
 * at ~1 ms per request that rounding would swallow the differences being measured.
 */
export function runLoad(options: LoadOptions): Promise<Run> {
  let latencies = new Float64Array(1 << 16)
  let count = 0
  const errorKinds: Record<string, number> = {}
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.origin + options.request.path,
        method: options.request.method,
        headers: options.request.headers,
        body: options.request.body,
        ...(options.request.unique && {
          requests: [{ setupRequest: unique(options.request.body) }],
        }),
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error)
        const statusCodes: Record<string, number> = {}
        for (const [code, stats] of Object.entries(result.statusCodeStats)) {
          statusCodes[code] = stats.count
        }
        resolve({
          latencies: latencies.subarray(0, count),
          requests: result.requests.total,
          // autocannon stops on its 1 s tick: its own duration is the one its count matches.
          seconds: result.duration,
          errors: result.errors,
          errorKinds,
          statusCodes,
        })
      },
    )
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2)
        grown.set(latencies)
        latencies = grown
      }
      latencies[count++] = responseTime
    })
    instance.on('reqError', (error) => {
      const kind = error.code ?? error.message
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1
    })
  })
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
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
  const sum = (pick: (r: Run) => number) => runs.reduce((n, r) => n + pick(r), 0)
  const requests = sum((r) => r.requests)
  const seconds = sum((r) => r.seconds)
  return {
    requestsPerSecond: requests / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    requests,
    seconds,
    errors: sum((r) => r.errors),
    errorKinds,
    statusCodes,
  }
}
