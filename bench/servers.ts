import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** A bench server running in its own process (or a cluster of them). */
export interface RunningServer {
  name: string
  origin: string
  pid: number
  /** Send a message over the IPC channel and wait for the first answer (profiling). */
  ask(message: object): Promise<Record<string, unknown>>
}

/** What a bench server child is started with, beyond its script. */
export interface ServerOptions {
  /** The SQLite file or PostgreSQL URL it serves. */
  database: string
  /** Processes on one port (node cluster), as WORKERS=N. */
  workers?: number
  /** More environment: THROTTLE_RATES, SECRET_KEY… */
  env?: Record<string, string>
  /** Node flags before the script (`--cpu-prof`…). */
  nodeArgs?: string[]
  /** Load the script with tsx (`--import tsx`); by default, when it is a `.ts` file. */
  tsx?: boolean
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/**
 * The V8 settings `npm start` runs with, given to every server alike (Portcullis and the
 * baseline): a young generation of 32 MiB semi-spaces, collected a quarter as often.
 */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=32']
const STARTUP_TIMEOUT_MS = 60_000
const children = new Set<ChildProcess>()

/**
 * Start `bench/<script>` as a child: its own process, so it has a core to itself rather than
 * sharing an event loop with the load generator.
 */
export async function startServer(name: string, script: string, options: ServerOptions) {
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_ARGS,
      ...(options.nodeArgs ?? []),
      ...((options.tsx ?? script.endsWith('.ts')) ? ['--import', 'tsx'] : []),
      `bench/${script}`,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...options.env,
        BENCH_DB: options.database,
        BENCH_WORKERS: String(options.workers ?? 1),
      },
      // The IPC channel is only there so the child notices when this process dies.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  )
  children.add(child)
  child.once('exit', () => children.delete(child))

  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => reject(new Error(`${name}: no READY within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    )
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const ready = /^READY (\d+)$/m.exec(output)
      if (ready) {
        clearTimeout(timer)
        resolve(Number(ready[1]))
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${name}: exited before READY (code ${code}, signal ${signal})`))
    })
  })
  const ask = (message: object) =>
    new Promise<Record<string, unknown>>((resolve) => {
      child.once('message', (answer) => resolve(answer as Record<string, unknown>))
      child.send(message)
    })
  return { name, origin: `http://127.0.0.1:${port}`, pid: child.pid!, ask } satisfies RunningServer
}

/**
 * How the Portcullis child runs: `built`, the JS `npm run build` makes in dist/ on plain node (as
 * `npm start` runs it, and users deploy it); `tsx`, its sources under tsx (esbuild's output, with
 * source maps on: every Error's stack then goes through them).
 */
export type PortcullisBuild = 'built' | 'tsx'

/** The server's name in the results for the `tsx` build when both run (BENCH_TSX=both). */
export const TSX_SERVER = 'portcullis (tsx)'

/**
 * BENCH_TSX: unset or 0, the built JS; 1, the sources under tsx; `both`, each, measured in the
 * same rounds (the built one as `portcullis`, the other as TSX_SERVER).
 */
export function portcullisBuilds(): PortcullisBuild[] {
  const wanted = process.env.BENCH_TSX ?? ''
  if (wanted === '' || wanted === '0') return ['built']
  if (wanted === '1') return ['tsx']
  if (wanted === 'both') return ['built', 'tsx']
  throw new Error(
    'BENCH_TSX must be 0 (the built JS, by default), 1 (the sources under tsx) or both',
  )
}

/** `npm run -s build` when a build runs from dist/: once per bench run, before any child starts. */
export function buildPortcullis(builds: PortcullisBuild[]): void {
  // The build's own output goes to stderr, so stdout keeps the bench's tables alone.
  if (builds.includes('built')) {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
  }
}

/**
 * Start a Portcullis child as `build` says: the reference server (bench/serve-portcullis.mjs),
 * or another script that serves Portcullis the same way (bench/serve-cursor.mjs).
 */
export function startPortcullis(
  name: string,
  build: PortcullisBuild,
  options: ServerOptions,
  script = 'serve-portcullis.mjs',
) {
  return startServer(name, script, {
    ...options,
    tsx: build === 'tsx',
    env: { ...options.env, BENCH_PORTCULLIS_FROM: build === 'tsx' ? 'src' : 'dist' },
  })
}

/** Stop every child still running: SIGTERM, then SIGKILL for one that does not go in time. */
export async function stopServers(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }),
  )
}

/** The last resort on a synchronous exit path, where nothing can be awaited. */
export function killServersNow(): void {
  for (const child of children) child.kill('SIGKILL')
}
