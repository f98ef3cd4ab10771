import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import type { LoadOptions, Run } from './load.ts'

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
export function runAutocannon(options: LoadOptions): Promise<Run> {
  const clientBefore = process.cpuUsage()
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
          clientCpuSeconds: cpuSecondsSince(clientBefore),
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

/** This process's CPU since `before`: autocannon's, as it runs here. */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(before)
  return (user + system) / 1e6
}
