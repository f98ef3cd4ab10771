/**
 * `npm run bench:profile [-- ids…] [-- --out DIR]`: where Portcullis's CPU goes. For each scenario
 * (token-detail, token-list, session-post, no-credentials by default) a fresh server on a seeded
 * SQLite database is loaded for PROFILE_SECONDS (10) at BENCH_CONNECTIONS (50) while V8's CPU
 * profiler samples it (the window alone, not start-up); prints self time grouped by layer and the
 * top functions, and keeps the .cpuprofile files (Chrome DevTools, speedscope) in DIR.
 * `--baseline` profiles the bare-Fastify baseline instead (its scenarios only). Portcullis runs
 * as `npm start` does, the built JS (`npm run build` first) on plain node; BENCH_TSX=1 profiles
 * its sources under tsx instead. The profiling itself is bench/cpu-profile.ts's, which
 * `npm run bench` uses too.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type CpuProfile, profileServer, summarize } from './cpu-profile.ts'
import { type Scenario, selectScenarios } from './scenarios.ts'
import { seed } from './seed.ts'
import { buildPortcullis, killServersNow, portcullisBuilds, stopServers } from './servers.ts'

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`

function report(scenario: Scenario, requests: number, profile: CpuProfile) {
  const { layers, functions, busy, wall } = summarize(profile)
  console.log(
    `\n## ${scenario.id}: ${scenario.what}\n\n${requests} requests in ${(wall / 1000).toFixed(1)} s; ` +
      `main thread busy ${pct(busy, wall)} of the time, ${((busy * 1000) / requests).toFixed(0)} µs a request\n`,
  )
  console.log('| layer | self ms | share of busy |\n|---|---:|---:|')
  const sorted = [...layers].filter(([name]) => name !== 'idle').sort((a, b) => b[1] - a[1])
  for (const [name, ms] of sorted) console.log(`| ${name} | ${ms.toFixed(0)} | ${pct(ms, busy)} |`)
  console.log('\n| top self-time functions | layer | self ms | share |\n|---|---|---:|---:|')
  const top = [...functions].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)
  for (const [name, { ms, layer }] of top) {
    console.log(`| \`${name}\` | ${layer} | ${ms.toFixed(0)} | ${pct(ms, busy)} |`)
  }
}

const log = (message: string) => process.stderr.write(`profile: ${message}\n`)

async function main() {
  const { values, positionals } = parseArgs({
    options: { out: { type: 'string' }, baseline: { type: 'boolean', default: false } },
    allowPositionals: true,
  })
  const scenarios = selectScenarios(
    positionals.length
      ? positionals.join(',')
      : 'token-detail,token-list,session-post,no-credentials',
  )
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
  const out = resolve(values.out ?? mkdtempSync(join(tmpdir(), 'portcullis-profile-')))
  mkdirSync(out, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-profile-db-'))
  process.on('exit', () => {
    killServersNow()
    rmSync(dir, { recursive: true, force: true })
  })
  const database = join(dir, 'bench.sqlite3')
  const [build] = portcullisBuilds()
  buildPortcullis([build])
  log('seeding')
  const seeded = await seed(database)
  for (const scenario of scenarios) {
    // --baseline: the bare-Fastify baseline instead, to see what the same SQL costs without us.
    const run = await profileServer({
      scenario,
      side: values.baseline ? 'baseline' : 'portcullis',
      database,
      postgres: false,
      build,
      facts: seeded,
      seconds,
      connections,
      dir: out,
      name: scenario.id,
      log,
    })
    report(scenario, run.requests, run.profile)
  }
  console.log(`\nProfiles (open in Chrome DevTools or speedscope): ${out}`)
}

main().catch((error: Error) => {
  console.error(`profile: ${error.stack ?? error.message}`)
  stopServers().finally(() => process.exit(1))
})
