/**
 * `npm run bench:profile [-- ids…] [-- --out DIR]`: where Portcullis's CPU goes. For each scenario
 * (token-detail, token-list, session-post, no-credentials by default) a fresh server on a seeded
 * SQLite database is loaded for PROFILE_SECONDS (10) at BENCH_CONNECTIONS (50) while V8's CPU
 * profiler samples it (the window alone, not start-up); prints self time grouped by layer and the
 * top functions, and keeps the .cpuprofile files (Chrome DevTools, speedscope) in DIR.
 * `--baseline` profiles the bare-Fastify baseline instead (its scenarios only). Portcullis runs
 * as `npm start` does, the built JS (`npm run build` first) on plain node; BENCH_TSX=1 profiles
 * its sources under tsx instead.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { mintJwt, sessionLogin } from './credentials.ts'
import { runLoad } from './load.ts'
import { type Facts, type Scenario, selectScenarios, type Target } from './scenarios.ts'
import { seed } from './seed.ts'
import {
  buildPortcullis,
  killServersNow,
  portcullisBuilds,
  startPortcullis,
  startServer,
  stopServers,
} from './servers.ts'
import { verifyScenario } from './verify.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** The layer a frame belongs to, by where its code lives. */
function layer(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(idle)') return 'idle'
  if (functionName === '(program)') return 'V8/native (unattributed)'
  if (url === '') {
    // Code made with `new Function`: fast-json-stringify's serializers, ajv's validators;
    // and natives called from JS (better-sqlite3's statements, crypto) have no URL either.
    return 'native or generated (serializers, validators, sqlite, crypto)'
  }
  const rules: [RegExp, string][] = [
    // Ours from src/ under tsx, or from dist/ as built.
    [/\/(src|dist)\/framework\/pipeline\.[jt]s/, 'ours: pipeline.ts'],
    [
      /\/(src|dist)\/framework\/(auth|permissions|throttling)\//,
      'ours: auth, permissions, throttles',
    ],
    [/\/(src|dist)\/framework\/(resources|schema)\//, 'ours: resources, schema'],
    [/\/(src|dist)\/framework\/db\//, 'ours: db (statement cache)'],
    [/\/(src|dist)\/framework\//, 'ours: framework, other'],
    [/\/(src|dist)\/(accounts|apps)\//, 'ours: accounts and apps'],
    [/node_modules\/kysely\//, 'kysely (build, compile, execute)'],
    [/node_modules\/better-sqlite3\//, 'better-sqlite3 (JS side)'],
    [/node_modules\/(pg|pg-[a-z-]+)\//, 'pg'],
    [
      /node_modules\/(fast-json-stringify|ajv|fast-uri|json-schema-ref-resolver)/,
      'serialization, validation',
    ],
    [/node_modules\/(@node-rs\/argon2|argon2)/, 'argon2 (JS side)'],
    [/node_modules\/(fast-jwt|jose)\//, 'JWT (fast-jwt, jose)'],
    [/node_modules\/(@fastify\/cookie|cookie|cookie-signature)\//, 'cookies'],
    [
      /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify|fast-querystring|safe-regex2|toad-cache|abstract-logging|pino|process-warning|fastq|reusify|content-type|secure-json-parse|proxy-addr|ipaddr\.js)/,
      'fastify core',
    ],
    [/node_modules\/tsx\//, 'tsx loader'],
    [/^node:/, 'node core (http, net, streams, crypto)'],
  ]
  for (const [pattern, name] of rules) if (pattern.test(url)) return name
  return 'other'
}

/** Self time by layer and by function, in milliseconds, from a profile's samples. */
function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  // timeDeltas[i] is the time before sample i: the time of sample i is the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt)
  }
  const layers = new Map<string, number>()
  const functions = new Map<string, { ms: number; layer: string }>()
  let busy = 0
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame
    const name = layer(frame)
    layers.set(name, (layers.get(name) ?? 0) + us / 1000)
    if (name === 'idle') continue
    busy += us / 1000
    const where = frame.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')
    const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`
    const entry = functions.get(key) ?? { ms: 0, layer: name }
    entry.ms += us / 1000
    functions.set(key, entry)
  }
  return { layers, functions, busy, wall: (profile.endTime - profile.startTime) / 1000 }
}

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
    // A fresh server each: one scenario's warm caches and garbage are not the next one's.
    // --baseline: the bare-Fastify baseline instead, to see what the same SQL costs without us.
    const options = {
      database,
      env: {
        SECRET_KEY: randomBytes(48).toString('base64url'),
        JWT_ACCESS_SECONDS: '3600',
        THROTTLE_RATES: scenario.throttledServer ? 'user=1/day' : '',
        BENCH_PROFILE_DIR: out,
      },
    }
    const script = scenario.cursorServer ? 'serve-cursor.mjs' : 'serve-portcullis.mjs'
    // The baseline has no login routes: the reference server makes the credentials it reads.
    const minted = scenario.id === 'jwt-status-list' || scenario.id === 'session-post'
    const issuer =
      values.baseline && minted ? await startPortcullis('credentials', build, options) : null
    const server = values.baseline
      ? await startServer('baseline', 'serve-baseline.ts', options)
      : await startPortcullis('portcullis', build, options, script)
    const facts: Facts = { ...seeded }
    const target: Target = { server: 'portcullis', origin: server.origin, pid: server.pid, facts }
    const loginAt = (issuer ?? server).origin
    if (scenario.id === 'jwt-status-list') {
      facts.jwt = await mintJwt(loginAt, facts.username, facts.password)
    }
    if (scenario.id === 'session-post') {
      facts.session = await sessionLogin(loginAt, facts.writer.email, facts.writer.password)
    }
    await verifyScenario(scenario, target)
    const load = {
      origin: server.origin,
      request: scenario.request(target),
      connections: scenario.connections ?? connections,
    }
    log(`${scenario.id}: 2 s warm-up, then ${seconds} s profiled`)
    await runLoad({ ...load, seconds: 2 })
    await server.ask({ profile: 'start' })
    const run = await runLoad({ ...load, seconds })
    const { profiled } = await server.ask({ profile: 'stop', name: scenario.id })
    await stopServers()
    report(scenario, run.requests, JSON.parse(readFileSync(String(profiled), 'utf8')))
  }
  console.log(`\nProfiles (open in Chrome DevTools or speedscope): ${out}`)
}

main().catch((error: Error) => {
  console.error(`profile: ${error.stack ?? error.message}`)
  stopServers().finally(() => process.exit(1))
})
