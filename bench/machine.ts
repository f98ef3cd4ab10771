import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'

/** The machine a run was made on, as the README's table needs it said. */
export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  node: string
  kernel: string
  loadAverageBefore: number[]
}

function kernel(): string {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
  } catch {
    return process.platform
  }
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: kernel(),
    loadAverageBefore: loadavg().map((n) => Number(n.toFixed(2))),
  }
}

export function describeMachine(m: Machine): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; ` +
    `load average ${m.loadAverageBefore.join(' ')} before, ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} after`
  )
}

// The settings that change what a run measures, echoed so a table says how to reproduce it.
const KNOBS = [
  'BENCH_SECONDS',
  'BENCH_ROUNDS',
  'BENCH_CONNECTIONS',
  'BENCH_LOGIN_CONNECTIONS',
  'BENCH_DRF_CONNECTIONS',
  'BENCH_SCENARIOS',
  'BENCH_DATABASE_URL',
  'BENCH_WORKERS',
  'BENCH_INSTANCES',
  'BENCH_LOADER',
  'BENCH_TSX',
  'DRF_URL',
  'NESTJS_URL',
]

/** The command line that reproduces this run, with its environment knobs. */
export function commandLine(): string {
  const env = KNOBS.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`)
  const args = process.argv.slice(2)
  return [...env, 'npm run bench', ...(args.length ? ['--', ...args] : [])].join(' ')
}
