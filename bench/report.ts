import { pairServer } from './anchor-runs.ts'
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

// DESIGN.md, Budgets: what the figures are held against, each a distance to the bare baseline.
/** The token detail and list (`budgeted` scenarios): on SQLite, and on PostgreSQL with WORKERS=2. */
const MIN_SHARE_BUDGETED = { sqlite: 0.9, postgres: 0.85 }
/** Every other scenario against a bare baseline of its own. */
const MIN_SHARE_OTHER = 0.8
/** p99 at 50 connections against the baseline's in the same rounds. */
const MAX_P99_VS_BASELINE = 1.25
const P99_BUDGET_CONNECTIONS = 50
/** p99 at LOW_LOAD_CONNECTIONS on the detail and list, in milliseconds. */
const MAX_P99_MS_AT_LOW_LOAD = 10
/** The connections of the detail's and list's second measurement (the absolute p99 budget). */
export const LOW_LOAD_CONNECTIONS = 10
// DESIGN.md: against what TypeScript users build today (the NestJS + TypeORM anchor).
const MIN_RATIO_VS_NESTJS = 10
// Two runs of one endpoint differ by a few percent here: a rejection within 5% of the cheapest
// accepted request costs "no more" than it.
const SAME_COST_MARGIN = 0.95

/** The name a server is measured under at LOW_LOAD_CONNECTIONS (its rows beside the main ones). */
export function atLowLoad(server: string): string {
  return `${server} at ${LOW_LOAD_CONNECTIONS} connections`
}

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

const mark = (ok: boolean) => (ok ? 'met' : 'NOT met')

/** `ours` against the anchor `server` measured on the same scenario, or why there is no ratio. */
function anchorRatio(ours: Measured, anchors: Measured[], server: string, name: string) {
  const anchor = find(anchors, ours.scenario, server)
  if (!anchor || anchor.requestsPerSecond <= 0) return null
  return `${ratio(ours.requestsPerSecond, anchor.requestsPerSecond, 1)}× ${name} (${int(anchor.requestsPerSecond)} req/s)`
}

/**
 * How one scenario fared against its own baseline measured in the same rounds: its share of the
 * baseline's rate against the minimum, and its p99 at P99_BUDGET_CONNECTIONS against the
 * baseline's; null without both rows. What baselineBudgetLines prints and unmetBaselineBudgets
 * picks from.
 */
function judgeAgainstBaseline(run: DatabaseRun, scenario: Scenario) {
  const r = find(run.measured, scenario.id, 'portcullis')
  const base = find(run.measured, scenario.id, 'baseline')
  if (!r || !base) return null
  const minimum = scenario.budgeted ? MIN_SHARE_BUDGETED[run.database] : MIN_SHARE_OTHER
  const silent = [r, base].filter((x) => x.requests === 0).map((x) => x.server)
  const share = r.requestsPerSecond / base.requestsPerSecond
  const p99 =
    r.connections === P99_BUDGET_CONNECTIONS && base.connections === r.connections
      ? { over: r.p99 / base.p99, met: r.p99 / base.p99 <= MAX_P99_VS_BASELINE }
      : null
  return { r, base, minimum, silent, share, shareMet: silent.length === 0 && share >= minimum, p99 }
}

/** A scenario whose budget against its baseline is not met, and which (as the budget lines say). */
export interface UnmetBaselineBudget {
  scenario: Scenario
  /** "0.72 of its baseline, ≥ 0.8"; "p99 1.41× the baseline's, ≤ 1.25×". */
  budgets: string[]
}

/**
 * The scenarios of a run with a budget against the baseline NOT met: its share, its p99 against
 * the baseline's, its p99 at a light load (the anchors' ratios: `unmetAnchorBudgets`).
 */
export function unmetBaselineBudgets(run: DatabaseRun, scenarios: Scenario[]) {
  const unmet: UnmetBaselineBudget[] = []
  for (const scenario of scenarios) {
    const judged = judgeAgainstBaseline(run, scenario)
    if (!judged) continue
    const { minimum, silent, share, shareMet, p99 } = judged
    const budgets: string[] = []
    if (silent.length) budgets.push(`no answers from ${silent.join(' and ')}`)
    else if (!shareMet) budgets.push(`${share.toFixed(2)} of its baseline, ≥ ${minimum}`)
    if (!silent.length && p99 && !p99.met) {
      budgets.push(
        `p99 ${p99.over.toFixed(2)}× the baseline's at ${P99_BUDGET_CONNECTIONS} connections, ≤ ${MAX_P99_VS_BASELINE}×`,
      )
    }
    const low = lowLoadP99(run, scenario)
    if (low && !low.met) {
      budgets.push(
        `p99 ${ms(low.p99)} ms at ${low.connections} connections, < ${MAX_P99_MS_AT_LOW_LOAD} ms`,
      )
    }
    if (budgets.length) unmet.push({ scenario, budgets })
  }
  return unmet
}

/** A budgeted scenario's rate against the NestJS anchor's, judged against MIN_RATIO_VS_NESTJS. */
function judgeAgainstNest(run: DatabaseRun, anchors: Measured[], scenario: Scenario) {
  const r = find(run.measured, scenario.id, 'portcullis')
  const nest = find(anchors, scenario.id, 'nestjs')
  if (!scenario.budgeted || !r || !nest || nest.requestsPerSecond <= 0) return null
  const times = r.requestsPerSecond / nest.requestsPerSecond
  return { times, met: times >= MIN_RATIO_VS_NESTJS }
}

/**
 * The detail's and list's "at least 10× the NestJS anchor" NOT met in a run (SQLite: where the
 * anchor keeps its rows), for a profile against the baseline to say whether the time is ours.
 */
export function unmetAnchorBudgets(
  run: DatabaseRun,
  anchors: Measured[],
  scenarios: Scenario[],
): UnmetBaselineBudget[] {
  const unmet: UnmetBaselineBudget[] = []
  for (const scenario of scenarios) {
    const vsNest = judgeAgainstNest(run, anchors, scenario)
    if (vsNest && !vsNest.met) {
      unmet.push({
        scenario,
        budgets: [`${vsNest.times.toFixed(1)}× NestJS, ≥ ${MIN_RATIO_VS_NESTJS}×`],
      })
    }
  }
  return unmet
}

/** A budgeted scenario's p99 at LOW_LOAD_CONNECTIONS, judged against MAX_P99_MS_AT_LOW_LOAD. */
function lowLoadP99(run: DatabaseRun, scenario: Scenario) {
  const low = find(run.measured, scenario.id, atLowLoad('portcullis'))
  if (!scenario.budgeted || !low) return null
  return { ...low, met: low.p99 < MAX_P99_MS_AT_LOW_LOAD }
}

/** The share-of-baseline and p99 budgets of one scenario with a baseline. */
function baselineBudgetLines(run: DatabaseRun, scenario: Scenario, anchors: Measured[]) {
  const judged = judgeAgainstBaseline(run, scenario)
  if (!judged) return []
  const { r, base, minimum, silent, share, shareMet, p99 } = judged
  if (silent.length) {
    return [`${scenario.id}: no answers from ${silent.join(' and ')} (≥ ${minimum}: NOT met)`]
  }
  const anchorsSaid = [
    anchorRatio(r, anchors, 'drf', 'DRF, neither throttling'),
    anchorRatio(r, anchors, 'nestjs', 'NestJS'),
  ].filter((x) => x !== null)
  const nest = judgeAgainstNest(run, anchors, scenario)
  const vsNest = nest ? ` (≥ ${MIN_RATIO_VS_NESTJS}× NestJS: ${mark(nest.met)})` : ''
  const lines = [
    `${scenario.id}: ${share.toFixed(2)} of its baseline, ${int(r.requestsPerSecond)} against ${int(base.requestsPerSecond)} req/s ` +
      `(≥ ${minimum}: ${mark(shareMet)})` +
      (anchorsSaid.length ? `; ${anchorsSaid.join(', ')}${vsNest}` : ''),
  ]
  if (p99) {
    lines.push(
      `${scenario.id} p99 at ${r.connections} connections: ${ms(r.p99)} ms, ${ratio(r.p99, base.p99, 2)}× the baseline's ${ms(base.p99)} ms ` +
        `in the same rounds (≤ ${MAX_P99_VS_BASELINE}×: ${mark(p99.met)}; median of ${r.p99Rounds.length} rounds' p99, ` +
        `each ${r.p99Rounds.map(ms).join(', ')}; ${ms(r.p99Pooled)} pooled)`,
    )
  }
  const low = lowLoadP99(run, scenario)
  if (low) {
    const lowBase = find(run.measured, scenario.id, atLowLoad('baseline'))
    lines.push(
      `${scenario.id} p99 at ${low.connections} connections: ${ms(low.p99)} ms (< ${MAX_P99_MS_AT_LOW_LOAD} ms: ${mark(low.met)}; ` +
        `each round ${low.p99Rounds.map(ms).join(', ')}${lowBase ? `; the baseline ${ms(lowBase.p99)} ms` : ''})`,
    )
  }
  return lines
}

/**
 * One line per budget of DESIGN.md this run speaks to, each marked met or NOT met: every
 * scenario's share of its own bare baseline (0.9 for the token detail and list, 0.85 on
 * PostgreSQL; 0.8 for the others), p99 at 50 connections against the baseline's in the same
 * rounds, p99 at 10 connections on the detail and list, NestJS's ratio, the rejections' cost.
 */
export function budgetLines(
  run: DatabaseRun,
  anchors: Measured[],
  scenarios: Scenario[],
): string[] {
  const lines: string[] = []
  const ours = (id: string) => find(run.measured, id, 'portcullis')
  for (const scenario of scenarios) lines.push(...baselineBudgetLines(run, scenario, anchors))
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

/**
 * The throttled pair: Portcullis and the DRF anchor with the same anon and user rate, on the
 * scenarios both were measured on; beside the ratio with neither throttling.
 */
export function pairLines(run: DatabaseRun, anchors: Measured[], rate: string | null): string[] {
  if (rate === null) return []
  return run.measured
    .filter((r) => r.server === pairServer('portcullis', rate))
    .map((ours) => {
      const drf = find(anchors, ours.scenario, pairServer('drf', rate))
      const plain = find(run.measured, ours.scenario, 'portcullis')
      const plainDrf = find(anchors, ours.scenario, 'drf')
      const unthrottled =
        plain && plainDrf
          ? `; with neither throttling ${ratio(plain.requestsPerSecond, plainDrf.requestsPerSecond, 1)}×`
          : ''
      return drf
        ? `${ours.scenario}, both throttled at ${rate} anon and user: ${int(ours.requestsPerSecond)} against DRF's ${int(drf.requestsPerSecond)} req/s, ` +
            `${ratio(ours.requestsPerSecond, drf.requestsPerSecond, 1)}×${unthrottled}`
        : `${ours.scenario}, throttled at ${rate} anon and user: ${int(ours.requestsPerSecond)} req/s (DRF's side not measured)`
    })
}
