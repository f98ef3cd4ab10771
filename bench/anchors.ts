/**
 * The anchors (DRF, NestJS) as fresh processes the bench starts itself, from their `run.sh PORT`
 * (../shared/anchors/<name>/): several of each, so a ratio against an anchor is taken against
 * the median of its processes as ours is, and on settings both sides share (no throttles, or the
 * same rates). An anchor already running is given by URL instead (DRF_URL, NESTJS_URL: origins,
 * comma-separated, one per process).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const READY_TIMEOUT_MS = 120_000
const children = new Set<ChildProcess>()

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

async function healthy(origin: string, child: ChildProcess, name: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name}: exited (code ${child.exitCode})`)
    const ok = await fetch(`${origin}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${name}: no 200 from ${origin}/health within ${READY_TIMEOUT_MS} ms`)
}

/**
 * Start `<dir>/run.sh PORT` on a free loopback port with `env` (its data in a scratch directory,
 * removed when it stops) and wait for its /health; its origin.
 */
export async function startAnchor(name: string, dir: string, env: Record<string, string>) {
  const script = join(dir, 'run.sh')
  if (!existsSync(script)) {
    throw new Error(`${name}: no ${script}; point the variable at the anchor's directory`)
  }
  const port = await freePort()
  const data = mkdtempSync(join(tmpdir(), 'portcullis-anchor-'))
  const child = spawn('bash', [script, String(port)], {
    cwd: dir,
    env: {
      ...process.env,
      ...env,
      ANCHOR_DATA_DIR: data,
      DATABASE_PATH: join(data, 'anchor.sqlite3'),
    },
    // The anchor's start-up chatter is not the bench's output.
    stdio: ['ignore', 'ignore', 'ignore'],
  })
  children.add(child)
  child.once('exit', () => {
    children.delete(child)
    rmSync(data, { recursive: true, force: true })
  })
  const origin = `http://127.0.0.1:${port}`
  await healthy(origin, child, name)
  return { origin, pid: child.pid! }
}

/** Stop every anchor the bench started: SIGTERM (gunicorn's master stops its workers), then KILL. */
export async function stopAnchors(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }),
  )
}

/** The last resort on a synchronous exit path. */
export function killAnchorsNow(): void {
  for (const child of children) child.kill('SIGKILL')
}
