import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { LoadOptions, Run } from './load.ts'

const SCRIPT = fileURLToPath(new URL('wrk-report.lua', import.meta.url))

// Unique across runs of one process (a round's rows never collide with another's); the random
// part across processes.
const runId = randomBytes(4).toString('hex')
let runs = 0

/** Whether `wrk` (Debian's package) is on the PATH. */
export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined
}

/** `times` prints the shell's, then its children's, user and system time: `0m0.240s 0m0.860s`. */
function childSeconds(timesOutput: string): number {
  const lines = timesOutput.trim().split('\n')
  const children = lines[lines.length - 1] ?? ''
  let total = 0
  for (const match of children.matchAll(/(\d+)m([\d.]+)s/g)) {
    total += Number(match[1]) * 60 + Number(match[2])
  }
  return total
}

/**
 * Run wrk (one thread, C, an event loop of its own) against a server in another process. It costs
 * the machine a fifth of what autocannon does per answer, so on two cores the server being
 * measured is not starved by its own client. bench/wrk-report.lua gives the statuses and the
 * latency histogram in microseconds.
 */
export function runWrk(options: LoadOptions): Promise<Run> {
  const { request } = options
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}\t${value}\n`)
    .join('')
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    options.origin + request.path,
  ]
  // bash's `times` after wrk: the CPU the load generator took (its own rusage is not ours to read).
  const child = spawn('bash', ['-c', 'wrk "$@"; code=$?; times >&2; exit $code', 'wrk', ...args], {
    env: {
      ...process.env,
      BENCH_METHOD: request.method,
      BENCH_BODY: request.body ?? '',
      BENCH_HEADERS: headers,
      BENCH_UNIQUE: request.unique ? `${runId}-${++runs}` : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${stderr.trim()}`))
      try {
        resolve({ ...parseReport(stdout), clientCpuSeconds: childSeconds(stderr) })
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** The BENCH-* lines bench/wrk-report.lua writes, as a run. */
function parseReport(output: string): Omit<Run, 'clientCpuSeconds'> {
  const statusCodes: Record<string, number> = {}
  const histogram: [number, number][] = []
  let summary: number[] | null = null
  for (const line of output.split('\n')) {
    const [tag, ...rest] = line.trim().split(' ')
    const numbers = rest.map(Number)
    if (tag === 'BENCH-SUMMARY') summary = numbers
    else if (tag === 'BENCH-STATUS') statusCodes[rest[0]] = numbers[1]
    else if (tag === 'BENCH-LATENCY') histogram.push([numbers[0], numbers[1]])
  }
  if (!summary) throw new Error(`wrk printed no report:\n${output}`)
  const [durationMicros, requests, connect, read, write, timeout] = summary
  const latencies = new Float64Array(histogram.reduce((n, [, count]) => n + count, 0))
  let at = 0
  for (const [micros, count] of histogram) {
    latencies.fill(micros / 1000, at, at + count)
    at += count
  }
  const errorKinds: Record<string, number> = {}
  for (const [kind, n] of Object.entries({ connect, read, write, timeout })) {
    if (n > 0) errorKinds[kind] = n
  }
  return {
    latencies,
    requests,
    seconds: durationMicros / 1e6,
    errors: connect + read + write + timeout,
    errorKinds,
    statusCodes,
  }
}
