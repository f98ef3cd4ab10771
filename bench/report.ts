import type { Measured } from './schedule.ts'
import type { Scenario } from './verify.ts'

/** One measured (server × endpoint), with its req/s over the baseline's for the same scenario. */
export type ResultRow = Measured & { ratioVsBaseline: number }

// DESIGN.md, Budgets: what the figures are held against.
const MIN_RATIO_VS_BASELINE = 0.6
const MAX_P99_MS = 10
const P99_BUDGET_CONNECTIONS = 50
const MIN_RATIO_VS_DRF = 40

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => n.toFixed(2)

/** The results as a markdown table, one row each, in the order given. */
export function markdownTable(rows: ResultRow[]): string {
  const lines = [
    '| scenario | server | req/s | p50 ms | p99 ms | errors | non-2xx | ratio vs baseline | server CPU |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    const cpu = r.serverCpu === null ? '–' : `${Math.round(r.serverCpu * 100)}%`
    lines.push(
      `| ${r.scenario} | ${r.server} | ${int(r.requestsPerSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${r.non2xx} | ${r.ratioVsBaseline.toFixed(2)} | ${cpu} |`,
    )
  }
  return lines.join('\n')
}

/** What the errors and non-2xx answers were, for each row that had any. */
export function problemLines(rows: ResultRow[]): string[] {
  return rows
    .filter((r) => r.errors > 0 || r.non2xx > 0)
    .map((r) => {
      const codes = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'))
      return (
        `${r.scenario} on ${r.server}: ${r.errors} errors ${JSON.stringify(r.errorKinds)}, ` +
        `${r.non2xx} non-2xx ${JSON.stringify(Object.fromEntries(codes))} of ${r.requests} answered`
      )
    })
}

/** Portcullis's ratio to DRF per scenario, when DRF was measured. */
export function ratiosVsDrf(rows: ResultRow[]): Partial<Record<Scenario, number>> {
  const ratios: Partial<Record<Scenario, number>> = {}
  for (const drf of rows.filter((r) => r.server === 'drf')) {
    const ours = rows.find((r) => r.server === 'portcullis' && r.scenario === drf.scenario)
    if (ours) ratios[drf.scenario] = ours.requestsPerSecond / drf.requestsPerSecond
  }
  return ratios
}

/** One line per budget of DESIGN.md this run can speak to, each marked met or missed. */
export function budgetLines(rows: ResultRow[], connections: number): string[] {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const lines: string[] = []
  for (const r of rows.filter((row) => row.server === 'portcullis')) {
    const clean = r.errors === 0 && r.non2xx === 0
    const p99Verdict =
      connections === P99_BUDGET_CONNECTIONS
        ? mark(r.p99 < MAX_P99_MS)
        : `not judged, it is set at ${P99_BUDGET_CONNECTIONS}`
    lines.push(
      `${r.scenario}: ${r.ratioVsBaseline.toFixed(2)} of baseline (budget ≥ ${MIN_RATIO_VS_BASELINE}: ${mark(r.ratioVsBaseline >= MIN_RATIO_VS_BASELINE)}), ` +
        `p99 ${ms(r.p99)} ms at ${connections} connections (budget < ${MAX_P99_MS}: ${p99Verdict}), ` +
        `${clean ? 'no errors' : `ERRORS ${r.errors}, non-2xx ${r.non2xx}`}`,
    )
  }
  for (const [scenario, ratio] of Object.entries(ratiosVsDrf(rows))) {
    lines.push(
      `${scenario}: ${ratio.toFixed(1)}× DRF (budget ≥ ${MIN_RATIO_VS_DRF}×: ${mark(ratio >= MIN_RATIO_VS_DRF)})`,
    )
  }
  return lines
}
