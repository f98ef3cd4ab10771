/**
 * One server profiled under load with V8's CPU profiler, and what the profile says: a fresh
 * Portcullis or bare-Fastify baseline process, loaded for 2 s of warm-up and then for the
 * profiled window alone (not start-up), its self time summed by layer and by function. Used by
 * `npm run bench:profile` and by `npm run bench` for a budget it finds not met.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mintJwt, sessionLogin } from './credentials.ts'
import { runLoad } from './load.ts'
import type { Facts, Scenario, Target } from './scenarios.ts'
import { type PortcullisBuild, startPortcullis, startServer, stopServers } from './servers.ts'
import { verifyScenario } from './verify.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

/** A `.cpuprofile`: V8's sampled call tree, as Chrome DevTools and speedscope open it. */
export interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** The layer a frame belongs to, by where its code lives. */
export function layer(frame: ProfileNode['callFrame']): string {
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
export function summarize(profile: CpuProfile) {
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

/** The load before the profiled window: caches filled, code optimized. */
export const PROFILE_WARMUP_SECONDS = 2

/** Which server to profile on which data, and how hard and long to load it. */
export interface ProfileRequest {
  scenario: Scenario
  /** Portcullis, or the bare-Fastify baseline doing the same SQL. */
  side: 'portcullis' | 'baseline'
  /** The seeded SQLite file or PostgreSQL URL. */
  database: string
  /** On PostgreSQL the baseline is bench/serve-baseline-pg.ts. */
  postgres: boolean
  build: PortcullisBuild
  /** The seeded database's facts; the credentials a scenario needs are minted here, afresh. */
  facts: Facts
  seconds: number
  /** Connections for a scenario that names none of its own. */
  connections: number
  /** Where the child writes `<name>.cpuprofile`. */
  dir: string
  name: string
  log: (message: string) => void
}

/** A profiled window: the requests answered in it and V8's profile of the server. */
export interface ProfiledWindow {
  requests: number
  profile: CpuProfile
  /** The `.cpuprofile` file. */
  path: string
}

/**
 * Start a fresh server process (one: WORKERS=1) with the profiler on request, check its answer,
 * load it for PROFILE_WARMUP_SECONDS, then profile `seconds` of the same load; every bench child
 * is stopped after.
 */
export async function profileServer(r: ProfileRequest): Promise<ProfiledWindow> {
  const { scenario } = r
  // A fresh server each: one scenario's warm caches and garbage are not the next one's.
  const options = {
    database: r.database,
    env: {
      SECRET_KEY: randomBytes(48).toString('base64url'),
      JWT_ACCESS_SECONDS: '3600',
      THROTTLE_RATES: scenario.throttledServer ? 'user=1/day' : '',
      BENCH_PROFILE_DIR: r.dir,
    },
  }
  const baseline = r.side === 'baseline'
  const script = scenario.cursorServer ? 'serve-cursor.mjs' : 'serve-portcullis.mjs'
  // The baseline has no login routes: the reference server makes the credentials it reads.
  const minted = scenario.id === 'jwt-status-list' || scenario.id === 'session-post'
  try {
    const issuer =
      baseline && minted ? await startPortcullis('credentials', r.build, options) : null
    const server = baseline
      ? await startServer(
          'baseline',
          r.postgres ? 'serve-baseline-pg.ts' : 'serve-baseline.ts',
          options,
        )
      : await startPortcullis('portcullis', r.build, options, script)
    const facts: Facts = { ...r.facts }
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
      connections: scenario.connections ?? r.connections,
    }
    r.log(`${scenario.id}: ${PROFILE_WARMUP_SECONDS} s warm-up, then ${r.seconds} s profiled`)
    await runLoad({ ...load, seconds: PROFILE_WARMUP_SECONDS })
    await server.ask({ profile: 'start' })
    const run = await runLoad({ ...load, seconds: r.seconds })
    const { profiled } = await server.ask({ profile: 'stop', name: r.name })
    const path = String(profiled)
    return { requests: run.requests, profile: JSON.parse(readFileSync(path, 'utf8')), path }
  } finally {
    // Stopped even when a check fails: a profile's server is never left serving.
    await stopServers()
  }
}
