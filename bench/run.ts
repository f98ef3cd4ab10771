/**
 * `npm run bench [-- --json FILE] [-- --db sqlite|postgres|both]`: Portcullis on every scenario of
 * bench/scenarios.ts, against a bare-Fastify baseline of its own doing the same SQL (same data,
 * same rounds) and the anchors; a table per database, and DESIGN.md's budgets each marked met or
 * NOT met. Loopback only. Env: BENCH_SECONDS (12) per server and scenario, in BENCH_ROUNDS (6)
 * alternating rounds, at BENCH_CONNECTIONS (50; BENCH_LOGIN_CONNECTIONS 4 for login; the detail
 * and list also at 10); BENCH_SCENARIOS (ids, comma-separated; all by default);
 * BENCH_DATABASE_URL (PostgreSQL to make a scratch database next to;
 * postgres://root@127.0.0.1:5432/test) with BENCH_WORKERS (2); BENCH_INSTANCES (3) fresh
 * processes of each server on SQLite (anchors included), taken in turn by the rounds, req/s the
 * median of them. Anchors: BENCH_DRF_ANCHOR (its directory, ../shared/anchors/drf) starts the DRF
 * anchor with NO_THROTTLES=1, and as many processes throttled at BENCH_PAIR_RATE (1000000/min;
 * 0: none) beside Portcullis at that anon and user rate; DRF_URL names running ones instead
 * (comma-separated); the DRF anchor at BENCH_DRF_CONNECTIONS, by default whichever of 2, 4 and 8
 * serves it best. BENCH_NESTJS_ANCHOR or NESTJS_URL alike. Portcullis runs as `npm start` does,
 * the built JS (`npm run build`, once a run) on plain node; BENCH_TSX=1 runs its sources under
 * tsx instead, BENCH_TSX=both each in the same rounds. For each scenario with a budget against
 * its baseline NOT met, Portcullis and then the baseline are profiled on that database (a fresh
 * process each, one worker on PostgreSQL) for PROFILE_SECONDS (6) after 2 s of warm-up, and the
 * two profiles printed side by side after its budget lines (BENCH_PROFILE_UNMET=0: not).
 * Smoke test: BENCH_SECONDS=1 BENCH_ROUNDS=1 npm run bench.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DRF_PROBE_CONNECTIONS,
  measureAnchor,
  pairScenarios,
  pairServer,
  prepareAnchors,
} from './anchor-runs.ts'
import { killAnchorsNow, stopAnchors } from './anchors.ts'
import { PROFILE_WARMUP_SECONDS, profileServer } from './cpu-profile.ts'
import { withCredentials } from './credentials.ts'
import { chooseLoadGenerator } from './load.ts'
import { commandLine, describeMachine, machine } from './machine.ts'
import { createBenchDatabase } from './pg.ts'
import { compareProfiles, comparisonSection, type ProfileComparison } from './profile-comparison.ts'
import {
  atLowLoad,
  budgetLines,
  type DatabaseRun,
  LOW_LOAD_CONNECTIONS,
  pairedServer,
  pairLines,
  problemLines,
  REFERENCE_ACCEPTED,
  saturationLines,
  scenarioTable,
  tsxLines,
  type UnmetBaselineBudget,
  unmetAnchorBudgets,
  unmetBaselineBudgets,
} from './report.ts'
import { type Facts, SCENARIOS, type Scenario, selectScenarios, type Target } from './scenarios.ts'
import { type Leg, type Measured, measureAlternating, type Schedule } from './schedule.ts'
import { seed } from './seed.ts'
import {
  buildPortcullis,
  killServersNow,
  type PortcullisBuild,
  portcullisBuilds,
  type RunningServer,
  startPortcullis,
  startServer,
  stopServers,
  TSX_SERVER,
} from './servers.ts'
import { verifySameAnswers, verifyScenario } from './verify.ts'

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`)
  return value
}

/**
 * BENCH_PAIR_RATE: the anon and user rate both sides of the throttled pair run with (`0`: no
 * pair). By default ten times DRF's 100000/min: at 100000/min Portcullis's detail passes the user
 * rate within seconds and would be measured answering 429s; DRF's throttle costs it the same at
 * either, its window's history being the requests it served, not the rate.
 */
function pairRate(): string | null {
  const raw = process.env.BENCH_PAIR_RATE ?? '1000000/min'
  if (raw === '0') return null
  if (!/^\d+\/(s|sec|m|min|h|hour|d|day)$/.test(raw)) {
    throw new Error('BENCH_PAIR_RATE must be a rate (1000000/min) or 0 for no throttled pair')
  }
  return raw
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`)
const cleanups: (() => Promise<void> | void)[] = []

interface Settings {
  schedule: Schedule
  scenarios: Scenario[]
  workers: number
  postgresUrl: string
  /** Null: probe 2, 4 and 8 and take the anchor's best (its 2 sync workers queue and reset). */
  drfConnections: number | null
  /** The anon and user rate both sides of the throttled pair run with; null for no pair. */
  pairRate: string | null
  /** Processes of each server on SQLite, taken in turn by the rounds. */
  instances: number
  /** How Portcullis runs (BENCH_TSX): the first is `portcullis`, a second is TSX_SERVER. */
  builds: PortcullisBuild[]
  /** Seconds each side of a budget not met is profiled for; null: not profiled. */
  profileSeconds: number | null
}

/** A scenario with a budget against its baseline not met, profiled, or why it could not be. */
type UnmetProfile = ProfileComparison | { scenario: string; budgets: string[]; error: string }

/** One database's run, with the profiles of its budgets not met and where to profile more. */
type ProfiledRun = DatabaseRun & {
  profiles: UnmetProfile[]
  /** Its database (dropped at the end of the bench) and what the seed made in it. */
  seeded: { database: string; facts: Facts }
}

let profileDirectory: string | undefined
/** Where the run's .cpuprofile files are kept (made once, on the first profile; not removed). */
function profilesDir(): string {
  profileDirectory ??= mkdtempSync(join(tmpdir(), 'portcullis-bench-profiles-'))
  return profileDirectory
}

/**
 * For each scenario with a budget against its baseline NOT met: Portcullis and then the baseline
 * profiled on the run's database (still seeded), one fresh process each, at the scenario's
 * connections, as `npm run bench:profile` does; the two compared.
 */
async function profileUnmet(
  run: DatabaseRun,
  unmet: UnmetBaselineBudget[],
  { database, facts }: ProfiledRun['seeded'],
  s: Settings,
): Promise<UnmetProfile[]> {
  if (s.profileSeconds === null) return []
  const profiles: UnmetProfile[] = []
  for (const { scenario, budgets } of unmet) {
    const profile = (side: 'portcullis' | 'baseline') =>
      profileServer({
        scenario,
        side,
        database,
        postgres: run.database === 'postgres',
        build: s.builds[0],
        facts,
        seconds: s.profileSeconds!,
        connections: s.schedule.connections,
        dir: profilesDir(),
        name: `${run.database}-${scenario.id}-${side}`,
        log: (message) => log(`profiling ${side}, ${message}`),
      })
    try {
      const ours = await profile('portcullis')
      const base = await profile('baseline')
      profiles.push(compareProfiles(scenario.id, budgets, ours, base))
    } catch (error) {
      log(`profiling ${scenario.id} failed: ${(error as Error).message}`)
      profiles.push({ scenario: scenario.id, budgets, error: (error as Error).message })
    }
  }
  return profiles
}

/** The sections printed after a database's budget lines, one per budget not met. */
function profileSections(run: ProfiledRun, s: Settings): string[] {
  if (!run.profiles.length) return []
  const how =
    `Profiled after the measurements, one fresh process of each, ${s.profileSeconds} s after ${PROFILE_WARMUP_SECONDS} s of warm-up` +
    (run.database === 'postgres' ? `, one worker each (WORKERS=1; measured with ${s.workers})` : '')
  return [
    ...run.profiles.map((p) =>
      'error' in p
        ? `#### Where the time goes: ${p.scenario} (${p.budgets.join('; ')})\n\nnot profiled: ${p.error}`
        : comparisonSection(p, how),
    ),
    `Profiles (open in Chrome DevTools or speedscope): ${profileDirectory}`,
  ]
}

/** Seed one database, start the servers on it, check their answers, measure every scenario. */
async function runDatabase(kind: DatabaseRun['database'], s: Settings): Promise<ProfiledRun> {
  const pg = kind === 'postgres'
  let database: string
  if (pg) {
    const made = await createBenchDatabase(s.postgresUrl)
    cleanups.push(() => made.drop())
    database = made.url
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    database = join(dir, 'bench.sqlite3')
  }
  const workers = pg ? s.workers : 1
  const label = pg
    ? `PostgreSQL, WORKERS=${workers} (Portcullis and baseline alike)`
    : `SQLite, one process a server (${s.instances} of each, taken in turn by the rounds)`
  log(`${label}: seeding`)
  const facts: Facts = { ...(await seed(database)) }

  // One secret for every process, so a JWT minted by one worker verifies in the others.
  const env = {
    SECRET_KEY: randomBytes(48).toString('base64url'),
    // Minted once before the runs: outlives them (simplejwt's 5 minutes might not).
    JWT_ACCESS_SECONDS: '3600',
    THROTTLE_RATES: '',
  }
  const common = { database, workers, env }
  const wanted = (test: (scenario: Scenario) => boolean | undefined) => s.scenarios.some(test)
  // Several processes of each server, taken in turn by the rounds (see Leg.twins). Not on
  // PostgreSQL: each of its workers already is one of two processes, and every process keeps a
  // pool of connections open.
  const count = pg ? 1 : s.instances
  const several = (name: string, start: (name: string) => Promise<RunningServer>) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => start(count > 1 ? `${name} #${i + 1}` : name)),
    )
  const [build, tsxBuild] = s.builds
  const pairing = !pg && s.pairRate !== null && pairScenarios(s.scenarios).length > 0
  const [baselines, ourServers, tsxServers, throttledServers, pairServers, cursorServers] =
    await Promise.all([
      wanted((x) => x.baseline)
        ? several('baseline', (name) =>
            startServer(name, pg ? 'serve-baseline-pg.ts' : 'serve-baseline.ts', common),
          )
        : [],
      several('portcullis', (name) => startPortcullis(name, build, common)),
      tsxBuild ? several(TSX_SERVER, (name) => startPortcullis(name, tsxBuild, common)) : [],
      // Its own instances: a `user` rate of one a day throttles every request after the first.
      wanted((x) => x.throttledServer)
        ? several('portcullis (throttled)', (name) =>
            startPortcullis(name, build, {
              ...common,
              env: { ...env, THROTTLE_RATES: 'user=1/day' },
            }),
          )
        : [],
      // The throttled pair's side: DRF's anon and user throttles, at the same rate.
      pairing
        ? several('portcullis (pair)', (name) =>
            startPortcullis(name, build, {
              ...common,
              env: { ...env, THROTTLE_RATES: `anon=${s.pairRate},user=${s.pairRate}` },
            }),
          )
        : [],
      wanted((x) => x.cursorServer)
        ? several('portcullis (cursor list)', (name) =>
            startPortcullis(name, build, common, 'serve-cursor.mjs'),
          )
        : [],
    ])
  const targetOf = (server: string, running: RunningServer): Target => ({
    server,
    origin: running.origin,
    pid: running.pid,
    facts,
  })
  const ours = ourServers.map((x) => targetOf('portcullis', x))
  const throttled = throttledServers.map((x) => targetOf('portcullis', x))
  const baseline = baselines.map((x) => targetOf('baseline', x))
  const tsx = tsxServers.map((x) => targetOf(TSX_SERVER, x))
  const pair = pairServers.map((x) => targetOf('portcullis', x))
  const cursor = cursorServers.map((x) => targetOf('portcullis', x))
  await withCredentials(ours[0], facts, s.scenarios)
  // A server as one leg's processes: the first and its twins.
  const leg = (scenario: Scenario, processes: Target[], server?: string): Leg => ({
    scenario,
    target: processes[0],
    twins: processes.slice(1),
    ...(server && { server }),
  })
  const legsOf = (scenario: Scenario): Leg[] => {
    const main =
      scenario.throttledServer && throttled.length
        ? throttled
        : scenario.cursorServer && cursor.length
          ? cursor
          : ours
    const legs =
      baseline.length && scenario.baseline
        ? [leg(scenario, baseline), leg(scenario, main)]
        : [leg(scenario, main)]
    // BENCH_TSX=both: the same server from its sources under tsx, in the same rounds.
    if (tsx.length && main === ours) legs.push(leg(scenario, tsx))
    // The detail's and list's p99 budget at a light load, measured in the same rounds.
    if (scenario.budgeted) {
      const light = { ...scenario, connections: LOW_LOAD_CONNECTIONS }
      legs.push(leg(light, main, atLowLoad('portcullis')))
      if (baseline.length) legs.push(leg(light, baseline, atLowLoad('baseline')))
    }
    if (pair.length && pairScenarios([scenario]).length) {
      legs.push(leg(scenario, pair, pairServer('portcullis', s.pairRate!)))
    }
    return legs
  }

  for (const scenario of s.scenarios) {
    const legs = legsOf(scenario)
    for (const l of legs) for (const t of [l.target, ...l.twins!]) await verifyScenario(scenario, t)
    if (legs[0].target.server === 'baseline') {
      await verifySameAnswers(scenario, legs[1].target, legs[0].target)
    }
  }
  log(`${label}: verified every scenario's status and body, and equal answers from the baseline`)

  const reference = SCENARIOS.find((x) => x.id === REFERENCE_ACCEPTED)
  if (reference && s.scenarios.some((x) => x.kind === 'rejected')) {
    for (const target of ours) await verifyScenario(reference, target)
  }
  const measured: Measured[] = []
  for (const scenario of s.scenarios) {
    const legs = legsOf(scenario)
    // A rejection is weighed against the cheapest accepted request in the same rounds: measured
    // minutes apart, the machine's drift alone moves their ratio by a fifth.
    if (scenario.kind === 'rejected' && reference) {
      legs.push(leg(reference, ours, pairedServer(scenario.id)))
    }
    measured.push(...(await measureAlternating(legs, s.schedule)))
  }
  await stopServers()
  const run: DatabaseRun = { database: kind, label, measured }
  // While its database still exists: the cleanups drop it at the end of the bench.
  const seeded = { database, facts }
  const profiles = await profileUnmet(run, unmetBaselineBudgets(run, s.scenarios), seeded, s)
  return { ...run, profiles, seeded }
}

async function main() {
  const started = performance.now()
  const { values } = parseArgs({
    options: { json: { type: 'string' }, db: { type: 'string', default: 'sqlite' } },
  })
  if (!['sqlite', 'postgres', 'both'].includes(values.db!)) {
    throw new Error('--db must be sqlite, postgres or both')
  }
  // autocannon stops on whole seconds: no round can be shorter than one (wrk's too, alike).
  const seconds = Math.max(1, Math.round(envNumber('BENCH_SECONDS', 12)))
  const settings: Settings = {
    schedule: {
      connections: Math.round(envNumber('BENCH_CONNECTIONS', 50)),
      seconds,
      rounds: Math.max(1, Math.min(Math.round(envNumber('BENCH_ROUNDS', 6)), seconds)),
      warmupSeconds: 1,
      log,
    },
    scenarios: selectScenarios(process.env.BENCH_SCENARIOS).map((scenario) =>
      scenario.id === 'login'
        ? { ...scenario, connections: envNumber('BENCH_LOGIN_CONNECTIONS', 4) }
        : scenario,
    ),
    workers: Math.round(envNumber('BENCH_WORKERS', 2)),
    drfConnections: process.env.BENCH_DRF_CONNECTIONS
      ? Math.round(envNumber('BENCH_DRF_CONNECTIONS', 8))
      : null,
    instances: Math.round(envNumber('BENCH_INSTANCES', 3)),
    pairRate: pairRate(),
    builds: portcullisBuilds(),
    profileSeconds:
      process.env.BENCH_PROFILE_UNMET === '0' ? null : envNumber('PROFILE_SECONDS', 6),
    postgresUrl: process.env.BENCH_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test',
  }
  const host = machine()
  const generator = chooseLoadGenerator()
  log(
    generator === 'wrk'
      ? 'load generator: wrk'
      : 'load generator: autocannon (wrk is not installed: apt-get install wrk). At 10k answers a second autocannon takes a core of its own, and on 2 cores that is the server’s: throughput and p99 then measure the client too',
  )
  if (host.loadAverageBefore[0] > 0.5) {
    // Another process on 2 cores takes from the server or the client: worth knowing when reading.
    log(
      `warning: load average ${host.loadAverageBefore[0]} before starting: the machine is not idle`,
    )
  }

  // The anchors first, so one that is not there fails the run before minutes of measuring.
  const anchorServers = await prepareAnchors(settings, log)
  // Our side of the throttled pair only when an anchor's side is measured too.
  if (!anchorServers.some((a) => a.server === pairServer('drf', settings.pairRate ?? ''))) {
    settings.pairRate = null
  }

  log(
    settings.builds.includes('built')
      ? `Portcullis: the built JS on plain node (npm run build, as npm start)${settings.builds.includes('tsx') ? `, and its sources under tsx as "${TSX_SERVER}"` : ''}`
      : 'Portcullis: its sources under tsx (BENCH_TSX=1)',
  )
  buildPortcullis(settings.builds)

  const runs: ProfiledRun[] = []
  if (values.db !== 'postgres') runs.push(await runDatabase('sqlite', settings))
  if (values.db !== 'sqlite') runs.push(await runDatabase('postgres', settings))
  // NestJS before DRF: gunicorn goes on serving a backlog after the load stops.
  const anchorRuns = []
  const nestFirst = [
    ...anchorServers.filter((a) => a.server === 'nestjs'),
    ...anchorServers.filter((a) => a.server !== 'nestjs'),
  ]
  for (const anchor of nestFirst) {
    anchorRuns.push({ anchor, ...(await measureAnchor(anchor, settings)) })
  }
  await stopAnchors()
  const anchors = anchorRuns.flatMap((r) => r.measured)
  const drfRun = anchorRuns.find((r) => r.anchor.server === 'drf')
  // The NestJS ratio, known only now: a scenario that missed it alone is profiled now, on the
  // SQLite run's database (the anchor's is SQLite too); one already profiled says so.
  for (const run of runs.filter((r) => r.database === 'sqlite')) {
    const missed = unmetAnchorBudgets(run, anchors, settings.scenarios)
    const fresh = missed.filter(({ scenario, budgets }) => {
      const done = run.profiles.find((p) => p.scenario === scenario.id)
      if (done) done.budgets.push(...budgets)
      return !done
    })
    run.profiles.push(...(await profileUnmet(run, fresh, run.seeded, settings)))
  }

  const { schedule } = settings
  console.log(
    `\n${describeMachine(host)}\n\n\`${commandLine()}\`: ${schedule.seconds} s per server and scenario in ${schedule.rounds} alternating rounds ` +
      `(DRF: ${drfRun ? `${drfRun.anchor.targets.length} process(es), at ${drfRun.connections} connections${process.env.BENCH_DRF_CONNECTIONS ? '' : `, its best of ${DRF_PROBE_CONNECTIONS.join(', ')}`}` : 'not measured'}), after 1 s of warm-up; ${schedule.connections} connections unless said; loopback; ` +
      'req/s is the median of the processes of a server (each over its own rounds); ' +
      "p99 is the median of the rounds' p99s (every answer pooled: in the budget lines and --json); " +
      `${generator === 'wrk' ? 'wrk (one thread) in a process of its own' : 'autocannon in the parent process'}; ${Math.round((performance.now() - started) / 1000)} s in all.`,
  )
  // The anchors keep their rows in SQLite: a PostgreSQL run is not the same work as theirs.
  const anchorsOf = (run: DatabaseRun) => (run.database === 'sqlite' ? anchors : [])
  for (const run of runs) {
    console.log(`\n### ${run.label}\n`)
    if (run.database !== 'sqlite' && anchors.length) {
      console.log('The anchors run on SQLite: they are compared in the SQLite table only.\n')
    }
    console.log(scenarioTable(run, anchorsOf(run), settings.scenarios))
    console.log('')
    for (const line of [
      ...problemLines(run.measured),
      ...tsxLines(run.measured),
      // On PostgreSQL the database's own processes share the cores: only SQLite's one is judged.
      ...(run.database === 'sqlite' ? saturationLines(run.measured, 1) : []),
      ...budgetLines(run, anchorsOf(run), settings.scenarios),
      ...pairLines(run, anchorsOf(run), settings.pairRate),
    ]) {
      console.log(`- ${line}`)
    }
    for (const section of profileSections(run, settings)) console.log(`\n${section}`)
  }
  for (const line of problemLines(anchors)) console.log(`- ${line}`)

  if (values.json) {
    const report = {
      date: new Date().toISOString(),
      command: commandLine(),
      machine: host,
      settings: {
        ...schedule,
        log: undefined,
        workers: settings.workers,
        drfConnections: settings.drfConnections,
        loadGenerator: generator,
        profileSeconds: settings.profileSeconds,
        profileWarmupSeconds: PROFILE_WARMUP_SECONDS,
        profiles: profileDirectory ?? null,
      },
      scenarios: settings.scenarios.map(({ id, what, kind, expect, connections }) => ({
        id,
        what,
        kind,
        expect,
        connections: connections ?? schedule.connections,
      })),
      // Not `seeded`: the bench users' credentials have no place in a report.
      databases: runs.map(({ seeded: _, ...run }) => ({
        ...run,
        budgets: budgetLines(run, anchorsOf(run), settings.scenarios),
      })),
      anchors: anchorRuns.map((r) => ({
        server: r.anchor.server,
        origins: r.anchor.targets.map((t) => t.origin),
        connections: r.connections,
        measured: r.measured,
      })),
      seconds: (performance.now() - started) / 1000,
    }
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`)
    log(`wrote ${values.json}`)
  }
}

async function cleanUp() {
  await stopServers()
  await stopAnchors()
  for (const cleanup of cleanups.splice(0).reverse()) {
    await Promise.resolve(cleanup()).catch((error: Error) => log(`cleanup: ${error.message}`))
  }
}

// Synchronous, so it also runs on process.exit from a signal or a failure.
process.on('exit', () => {
  killServersNow()
  killAnchorsNow()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers`)
    cleanUp().finally(() => process.exit(130))
  })
}

main()
  .then(cleanUp)
  .catch(async (error: Error) => {
    console.error(`bench: ${error.stack ?? error.message}`)
    await cleanUp()
    process.exit(1)
  })
