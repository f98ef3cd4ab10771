/**
 * `npm run bench [-- --json FILE]`: Portcullis against a bare-Fastify baseline doing the same SQL
 * (and the DRF anchor when DRF_URL is set) on token-authenticated bucketlist detail and list.
 * Env: BENCH_SECONDS (5) per server and endpoint, in BENCH_ROUNDS (5) alternating rounds, at
 * BENCH_CONNECTIONS (50).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { prepareDrf } from './drf.ts'
import { budgetLines, markdownTable, problemLines, ratiosVsDrf } from './report.ts'
import { againstBaseline, measureGroup, type Schedule } from './schedule.ts'
import { seed } from './seed.ts'
import { killServersNow, type RunningServer, startServer, stopServers } from './servers.ts'
import { SCENARIOS, type Target, verifyTargets } from './verify.ts'

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`)
  return value
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`)

async function main() {
  const { values } = parseArgs({ options: { json: { type: 'string' } } })
  // autocannon stops on whole seconds: no round can be shorter than one.
  const seconds = Math.max(1, Math.round(envNumber('BENCH_SECONDS', 5)))
  const rounds = Math.max(1, Math.min(Math.round(envNumber('BENCH_ROUNDS', 5)), seconds))
  const connections = Math.round(envNumber('BENCH_CONNECTIONS', 50))
  const drfUrl = process.env.DRF_URL

  const busy = loadavg()[0]
  if (busy > 0.5) {
    // Another process on 2 cores takes from the server or autocannon: worth knowing when reading.
    log(`warning: load average ${busy.toFixed(2)} before starting: the machine is not idle`)
  }

  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'))
  // Synchronous, so it also runs on process.exit from a signal or a failure.
  process.on('exit', () => {
    killServersNow()
    rmSync(dir, { recursive: true, force: true })
  })
  const dbPath = join(dir, 'bench.sqlite3')

  log(`seeding ${dbPath}`)
  const seeded = await seed(dbPath)
  log(`seeded ${seeded.totalCount} bucketlists, ${seeded.ownCount} owned by the bench user`)

  const [baseline, portcullis] = await Promise.all([
    startServer('baseline', 'serve-baseline.ts', dbPath),
    startServer('portcullis', 'serve-portcullis.ts', dbPath),
  ])
  const onSeededData = (server: RunningServer): Target => ({
    server: server.name,
    origin: server.origin,
    pid: server.pid,
    token: seeded.token,
    detailId: seeded.detailId,
    ownCount: seeded.ownCount,
  })
  const reference = onSeededData(baseline)
  const ours = onSeededData(portcullis)
  const drf = drfUrl ? await prepareDrf(drfUrl) : null
  const others = drf ? [ours, drf] : [ours]

  await verifyTargets(reference, others, [ours])
  log('verified: 200 and equal bodies on both endpoints, 401 for a wrong token')

  const schedule: Schedule = { connections, seconds, rounds, warmupSeconds: 1, log }
  const measured = await measureGroup([reference, ours], schedule)
  // DRF last, never between rounds of ours: gunicorn's sync workers go on serving the accepted
  // backlog after the load stops, which would take CPU from the next server's round.
  if (drf) {
    measured.push(...(await measureGroup([drf], { ...schedule, rounds: 1 })))
  }
  await stopServers()
  const order = (server: string) => ['baseline', 'portcullis', 'drf'].indexOf(server)
  const rows = againstBaseline(measured, 'baseline').sort(
    (a, b) =>
      SCENARIOS.indexOf(a.scenario) - SCENARIOS.indexOf(b.scenario) ||
      order(a.server) - order(b.server),
  )

  console.log(
    `\nGET /bucketlists/{id}/ (detail) and GET /bucketlists/ (list: page 1 of the user's ${seeded.ownCount} among ${seeded.totalCount}), ` +
      `Authorization: Token; ${seconds} s per server and endpoint in ${rounds} alternating rounds, ` +
      `${connections} connections, loopback, ${availableParallelism()} cores, Node ${process.version}\n`,
  )
  console.log(markdownTable(rows))
  console.log('')
  for (const line of [...problemLines(rows), ...budgetLines(rows, connections)]) {
    console.log(`- ${line}`)
  }

  if (values.json) {
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cores: availableParallelism(),
      loadAverageBefore: busy,
      connections,
      seconds,
      rounds,
      data: { bucketlists: seeded.totalCount, owned: seeded.ownCount },
      results: rows,
      ratiosVsDrf: ratiosVsDrf(rows),
    }
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`)
    log(`wrote ${values.json}`)
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers`)
    stopServers().finally(() => process.exit(130))
  })
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`)
  stopServers().finally(() => process.exit(1))
})
