/**
 * The anchors measured fairly: the DRF anchor with no throttle when Portcullis runs with no rate
 * (its throttle keeps every request's time in the window, so its cost grows with the load), and
 * a second pair with the same anon and user rate on both; DRF at its best connection count;
 * every anchor over several fresh processes, the median of them reported as ours is.
 */
import { startAnchor } from './anchors.ts'
import { withCredentials } from './credentials.ts'
import { prepareDrf } from './drf.ts'
import { prepareNestjs } from './nestjs.ts'
import type { Scenario, Target } from './scenarios.ts'
import { type Measured, measureAlternating, measureScenario, type Schedule } from './schedule.ts'
import { verifyScenario } from './verify.ts'

/** What the anchors are measured with. */
export interface AnchorSettings {
  schedule: Schedule
  scenarios: Scenario[]
  /** DRF's connections; null: probe DRF_PROBE_CONNECTIONS and take its best. */
  drfConnections: number | null
  /** Fresh processes of each anchor the bench starts. */
  instances: number
  /** The anon and user rate of the throttled pair, or null for none. */
  pairRate: string | null
}

/** One anchor: its processes (each with its own users and rows) and what it is measured on. */
export interface Anchor {
  /** The column it reports in: `drf`, `nestjs`, or pairServer('drf', rate). */
  server: string
  targets: Target[]
  scenarios: Scenario[]
  /** Probed for the best rate (DRF's two sync workers starve below it and queue above). */
  probe: boolean
}

export const DRF_PROBE_CONNECTIONS = [2, 4, 8]
const DRF_PROBE_SECONDS = 3

/** The name a server of the throttled pair reports under. */
export function pairServer(server: string, rate: string): string {
  return `${server}, ${rate} anon and user`
}

/** The scenarios the throttled pair is measured on: the token detail and list. */
export const pairScenarios = (scenarios: Scenario[]) => scenarios.filter((x) => x.budgeted)

const origins = (list: string) =>
  list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

/**
 * The anchors this run measures, started and given their users and rows: BENCH_DRF_ANCHOR (its
 * directory) starts `instances` DRF processes with NO_THROTTLES=1, and as many with the pair's
 * rate; DRF_URL names running ones instead. BENCH_NESTJS_ANCHOR and NESTJS_URL alike.
 */
export async function prepareAnchors(s: AnchorSettings, log: (m: string) => void) {
  const anchors: Anchor[] = []
  const start = async (name: string, dir: string, env: Record<string, string>) => {
    const all = []
    for (let i = 0; i < s.instances; i++) {
      all.push(await startAnchor(`${name} #${i + 1}`, dir, env))
    }
    return all
  }
  const drfDir = process.env.BENCH_DRF_ANCHOR
  const drfScenarios = s.scenarios.filter((x) => x.drf)
  if (drfDir && drfScenarios.length) {
    const plain = await start('DRF anchor', drfDir, { NO_THROTTLES: '1' })
    const targets = await Promise.all(plain.map((p) => prepareDrf(p.origin, p.pid)))
    anchors.push({ server: 'drf', targets, scenarios: drfScenarios, probe: true })
    log(`DRF anchor: ${plain.length} processes with NO_THROTTLES=1, users and rows made`)
    const paired = pairScenarios(drfScenarios)
    if (s.pairRate && paired.length) {
      const rate = s.pairRate
      const throttled = await start('DRF anchor (throttled)', drfDir, {
        THROTTLE_ANON: rate,
        THROTTLE_USER: rate,
      })
      const pairTargets = await Promise.all(throttled.map((p) => prepareDrf(p.origin, p.pid)))
      const server = pairServer('drf', rate)
      anchors.push({ server, targets: pairTargets, scenarios: paired, probe: true })
      log(`DRF anchor: ${throttled.length} processes throttled at ${rate} anon and user, prepared`)
    }
  } else if (process.env.DRF_URL && drfScenarios.length) {
    const targets = await Promise.all(origins(process.env.DRF_URL).map((o) => prepareDrf(o)))
    anchors.push({ server: 'drf', targets, scenarios: drfScenarios, probe: true })
    log(
      `DRF anchor at ${process.env.DRF_URL}: users and rows made (its ratio is fair only if it runs with NO_THROTTLES=1)`,
    )
  }
  const nestDir = process.env.BENCH_NESTJS_ANCHOR
  const nestScenarios = s.scenarios.filter((x) => x.nestjs)
  const nestOrigins = nestDir
    ? (await start('NestJS anchor', nestDir, {})).map((p) => p.origin)
    : origins(process.env.NESTJS_URL ?? '')
  if (nestOrigins.length && nestScenarios.length) {
    const targets = await Promise.all(nestOrigins.map((o) => prepareNestjs(o)))
    anchors.push({ server: 'nestjs', targets, scenarios: nestScenarios, probe: false })
    log(`NestJS anchor: ${targets.length} process(es), users and rows made`)
  }
  return anchors
}

/**
 * The connection count at which an anchor serves the most (its first scenario, a few seconds
 * each): a ratio is taken against its best, not against a count that starves or floods it.
 */
async function bestConnections(scenario: Scenario, target: Target, s: AnchorSettings) {
  let best = { connections: DRF_PROBE_CONNECTIONS[0], rate: -1 }
  for (const connections of DRF_PROBE_CONNECTIONS) {
    const schedule = { ...s.schedule, connections, seconds: DRF_PROBE_SECONDS, rounds: 1 }
    const [probe] = await measureScenario(scenario, [target], schedule)
    s.schedule.log(
      `${target.server}: ${Math.round(probe.requestsPerSecond)} req/s at ${connections} connections`,
    )
    if (probe.requestsPerSecond > best.rate) best = { connections, rate: probe.requestsPerSecond }
  }
  return best.connections
}

/**
 * One anchor on each of its scenarios, its processes taken in turn by the rounds; last in a run
 * (gunicorn goes on serving a backlog after the load stops). Returns the connections it ran at.
 */
export async function measureAnchor(anchor: Anchor, s: AnchorSettings) {
  const measured: Measured[] = []
  let connections = anchor.probe ? s.drfConnections : s.schedule.connections
  for (const scenario of anchor.scenarios) {
    // DRF's access tokens live 5 minutes: ones minted now outlive this scenario's run.
    for (const target of anchor.targets) {
      await withCredentials(target, target.facts, [scenario])
      await verifyScenario(scenario, target)
    }
    connections ??= await bestConnections(scenario, anchor.targets[0], s)
    const [first, ...twins] = anchor.targets
    const schedule = { ...s.schedule, connections }
    const leg = { scenario, target: first, twins, server: anchor.server }
    measured.push(...(await measureAlternating([leg], schedule)))
  }
  return { measured, connections }
}
