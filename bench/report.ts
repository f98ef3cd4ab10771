import type { Scenario } from './scenarios.ts'
import type { Measured } from './schedule.ts'
import { TSX_SERVER } from './servers.ts'

/** One database's measurements: Portcullis and the baseline on the same data. */
export interface DatabaseRun {
  database: 'sqlite' | 'postgres'
  /** How it ran, for the table's title: "SQLite, one process", "PostgreSQL 15, WORKERS=2". */
  label: string
  measured: Measured[]
}

// DESIGN.md, Budgets: what the figures are held against.
const MIN_RATIO_VS_BASELINE = 0.6
const MIN_RATIO_VS_DRF = 40
// DESIGN.md: against what TypeScript users build today (the NestJS + TypeORM anchor).
const MIN_RATIO_VS_NESTJS = 10
const MAX_P99_MS = 10
const P99_BUDGET_CONNECTIONS = 50
// Two runs of one endpoint differ by a few percent here: a rejection within 5% of the cheapest
// accepted request costs "no more" than it.
const SAME_COST_MARGIN = 0.95

const NONE = '—'
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : NONE)
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : NONE)
/** `a` over `b`, or a dash when `b` served nothing. */
const ratio = (a: number, b: number, digits: number) => (b > 0 ? (a / b).toFixed(digits) : NONE)

/** The cheapest accepted request: each rejection is measured alongside it. */
export const REFERENCE_ACCEPTED = 'token-detail'

/** The name under which the reference is measured alongside the rejected scenario `id`. */
export function pairedServer(id: string): string {
  return `portcullis, alongside ${id}`
}

function find(rows: Measured[], scenario: string, server: string) {
  return rows.find((r) => r.scenario === scenario && r.server === server)
}

/** Errors of a row: no answer at all, or an answer with the wrong status; or no answer at all. */
const failures = (r: Measured) => r.errors + r.unexpected + (r.requests === 0 ? 1 : 0)

/** The table of one database: a row per scenario, Portcullis against each anchor measured. */
export function scenarioTable(
  run: DatabaseRun,
  anchors: Measured[],
  scenarios: Scenario[],
): string {
  // NestJS columns only when it was measured: most runs have no NESTJS_URL.
  const nest = anchors.some((r) => r.server === 'nestjs')
  const lines = [
    `| scenario | status | req/s | p50 ms | p99 ms | errors | CPU µs/req | baseline req/s | baseline p99 | baseline CPU µs/req | × baseline | DRF req/s | DRF p99 | × DRF |${nest ? ' NestJS req/s | NestJS p99 | × NestJS |' : ''}`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${nest ? '---:|---:|---:|' : ''}`,
  ]
  for (const scenario of scenarios) {
    const ours = find(run.measured, scenario.id, 'portcullis')
    if (!ours) continue
    const base = find(run.measured, scenario.id, 'baseline')
    const cpu = (r?: Measured) =>
      r?.cpuMicrosPerRequest == null ? NONE : int(r.cpuMicrosPerRequest)
    const against = (server: string) => {
      const anchor = find(anchors, scenario.id, server)
      return [
        anchor ? int(anchor.requestsPerSecond) : NONE,
        anchor ? ms(anchor.p99) : NONE,
        anchor ? `${ratio(ours.requestsPerSecond, anchor.requestsPerSecond, 1)}×` : NONE,
      ]
    }
    lines.push(
      [
        '',
        `${scenario.what}${ours.connections !== P99_BUDGET_CONNECTIONS ? ` (${ours.connections} conn.)` : ''}`,
        scenario.expect,
        int(ours.requestsPerSecond),
        ms(ours.p50),
        ms(ours.p99),
        failures(ours),
        cpu(ours),
        base ? int(base.requestsPerSecond) : NONE,
        base ? ms(base.p99) : NONE,
        cpu(base),
        base ? ratio(ours.requestsPerSecond, base.requestsPerSecond, 2) : NONE,
        ...against('drf'),
        ...(nest ? against('nestjs') : []),
        '',
      ]
        .join(' | ')
        .trim(),
    )
  }
  return lines.join('\n')
}

/**
 * BENCH_TSX=both: a line per scenario with the built JS on plain node against the sources under
 * tsx, measured in the same rounds: requests a second (each round's, for the spread), CPU a
 * request, and the built one's share of tsx's rate.
 */
export function tsxLines(rows: Measured[]): string[] {
  const side = (r: Measured) =>
    `${int(r.requestsPerSecond)} req/s (rounds ${r.rateRounds.map(int).join(', ')}; ` +
    `${r.cpuMicrosPerRequest === null ? NONE : int(r.cpuMicrosPerRequest)} CPU µs a request)`
  return rows
    .filter((r) => r.server === 'portcullis')
    .flatMap((built) => {
      const tsx = find(rows, built.scenario, TSX_SERVER)
      if (!tsx) return []
      return [
        `${built.scenario}, built JS against tsx: ${side(built)} against ${side(tsx)}: ` +
          `${ratio(built.requestsPerSecond, tsx.requestsPerSecond, 2)} of tsx's rate`,
      ]
    })
}

/** What the errors were, for each row (any server) that had any. */
export function problemLines(rows: Measured[]): string[] {
  return rows
    .filter((r) => failures(r) > 0)
    .map((r) => {
      const codes = Object.entries(r.statusCodes).filter(([code]) => code !== String(r.expect))
      return (
        `ERRORS in ${r.scenario} on ${r.server}: ${r.errors} without an answer ${JSON.stringify(r.errorKinds)}, ` +
        `${r.unexpected} answered other than ${r.expect} ${JSON.stringify(Object.fromEntries(codes))} of ${r.requests}`
      )
    })
}

// Below this share of its cores a server was waiting for requests: the load generator or the
// machine, not the server, set that row's pace, and its ratio says less.
const SATURATED = 0.9

/** A line for each of our servers that was not kept busy, with what the load generator took. */
export function saturationLines(rows: Measured[], processes: number): string[] {
  return rows
    .filter((r) => r.serverCpu !== null && r.serverCpu < SATURATED * processes)
    .map(
      (r) =>
        `not saturated: ${r.scenario} on ${r.server} kept ${r.serverCpu!.toFixed(2)} of ${processes} core(s) busy, ` +
        `the load generator ${r.clientCpu.toFixed(2)}`,
    )
}

const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')

/**
 * One line per budget of DESIGN.md this run speaks to, each marked met or MISSED. They are set on
 * SQLite; on PostgreSQL the same lines are printed for information.
 */
export function budgetLines(
  run: DatabaseRun,
  anchors: Measured[],
  scenarios: Scenario[],
): string[] {
  const lines: string[] = []
  const ours = (id: string) => find(run.measured, id, 'portcullis')
  if (run.database !== 'sqlite') {
    lines.push('budgets are set on SQLite: on PostgreSQL the same lines are for information')
  }
  for (const scenario of scenarios.filter((s) => s.budgeted)) {
    const r = ours(scenario.id)
    const base = find(run.measured, scenario.id, 'baseline')
    if (!r || !base) continue
    const share = r.requestsPerSecond / base.requestsPerSecond
    const anchor = find(anchors, scenario.id, 'drf')
    const nest = find(anchors, scenario.id, 'nestjs')
    const vsNest =
      nest && nest.requestsPerSecond > 0
        ? `; ${ratio(r.requestsPerSecond, nest.requestsPerSecond, 1)}× NestJS (≥ ${MIN_RATIO_VS_NESTJS}×: ${mark(r.requestsPerSecond / nest.requestsPerSecond >= MIN_RATIO_VS_NESTJS)})`
        : ''
    const vsDrf =
      anchor && anchor.requestsPerSecond > 0
        ? `${ratio(r.requestsPerSecond, anchor.requestsPerSecond, 1)}× DRF (≥ ${MIN_RATIO_VS_DRF}×: ${mark(r.requestsPerSecond / anchor.requestsPerSecond >= MIN_RATIO_VS_DRF)})`
        : `× DRF not measured (${anchor ? 'it answered nothing' : 'set DRF_URL'})`
    const p99 =
      r.connections === P99_BUDGET_CONNECTIONS
        ? mark(r.p99 < MAX_P99_MS)
        : `not judged: it is set at ${P99_BUDGET_CONNECTIONS} connections`
    lines.push(
      `${scenario.id}: ${share.toFixed(2)} of baseline (≥ ${MIN_RATIO_VS_BASELINE}: ${mark(share >= MIN_RATIO_VS_BASELINE)}); ` +
        `${vsDrf}${vsNest}; p99 ${ms(r.p99)} ms at ${r.connections} connections (< ${MAX_P99_MS}: ${p99}; median of ${r.p99Rounds.length} rounds' p99, ` +
        `each ${r.p99Rounds.map(ms).join(', ')}; ${ms(r.p99Pooled)} over every answer pooled, baseline ${base.p99Rounds.length ? ms(base.p99) : '—'})`,
    )
  }
  // "A rejected request costs no more than the cheapest accepted one": served at least as fast,
  // against that one measured in the same rounds (or, without it, in its own).
  const accepted = scenarios
    .filter((s) => s.kind === 'accepted')
    .map((s) => ours(s.id))
    .filter((r) => r !== undefined)
  const cheapest = accepted.sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0]
  for (const scenario of scenarios.filter((s) => s.kind === 'rejected')) {
    const r = ours(scenario.id)
    const paired = find(run.measured, REFERENCE_ACCEPTED, pairedServer(scenario.id))
    const against = paired ?? cheapest
    if (!r || !against) continue
    const share = r.requestsPerSecond / against.requestsPerSecond
    const cpu =
      r.cpuMicrosPerRequest !== null && against.cpuMicrosPerRequest !== null
        ? `, ${int(r.cpuMicrosPerRequest)} against ${int(against.cpuMicrosPerRequest)} CPU µs a request`
        : ''
    const when = paired ? ' in the same rounds' : ''
    lines.push(
      `${scenario.id} (${scenario.expect}): ${int(r.requestsPerSecond)} req/s, ${share.toFixed(2)} of the cheapest accepted ` +
        `(${against.scenario}${when}, ${int(against.requestsPerSecond)} req/s${cpu}) ` +
        `(costs no more, ≥ ${SAME_COST_MARGIN}: ${mark(share >= SAME_COST_MARGIN)})`,
    )
  }
  const login = ours('login')
  if (login) {
    lines.push(
      `login: ${int(login.requestsPerSecond)} logins/s, p99 ${ms(login.p99)} ms at ${login.connections} connections ` +
        '(argon2id m=19 MiB t=2: ~150 hashes/s on 2 cores, STACK.md)',
    )
  }
  const broken = run.measured.filter((r) => failures(r) > 0)
  lines.push(
    broken.length === 0
      ? 'every answer had its expected status: no errors'
      : `ERRORS in ${broken.map((r) => `${r.scenario} on ${r.server}`).join(', ')} (see above)`,
  )
  return lines
}
