/**
 * Portcullis's CPU profile against its baseline's on one scenario: self time a request by layer,
 * side by side, and the functions of Portcullis's that the baseline does not spend its time in.
 * What `npm run bench` prints, and puts in its --json, for a budget against the baseline not met.
 */
import { type ProfiledWindow, summarize } from './cpu-profile.ts'

/** Portcullis's functions listed: its top by self time a request, the baseline's top left out. */
const TOP_FUNCTIONS = 12
// The baseline runs our sources under tsx, Portcullis the built JS: `isoTimestamp
// dist/framework/db/iso-timestamp.js:6` and `… src/framework/db/iso-timestamp.ts:1` are one function.
const sameCode = (name: string) => name.replace(/ (dist|src)\/(.*)\.[jt]s:\d+$/, ' $2')

/** How many of the baseline's functions (by self time) count as "the baseline's top". */
const BASELINE_TOP = 25

/** One side of the comparison: a profiled window's requests and main-thread time a request. */
interface Side {
  requests: number
  /** Main-thread busy time (idle left out) a request, in µs. */
  busyMicrosPerRequest: number
  /** The `.cpuprofile` file. */
  profile: string
}

/** A layer's self time a request on each side, in µs; difference = Portcullis's − baseline's. */
export interface LayerRow {
  layer: string
  portcullis: number
  baseline: number
  difference: number
}

export interface FunctionRow {
  function: string
  layer: string
  /** Self time a request, in µs. */
  micros: number
}

/** Where Portcullis's time goes on a scenario, against its baseline in the same run. */
export interface ProfileComparison {
  scenario: string
  /** The budgets against the baseline not met, as unmetBaselineBudgets says them. */
  budgets: string[]
  portcullis: Side
  baseline: Side
  /** Every layer but idle, the largest difference first. */
  layers: LayerRow[]
  /** Portcullis's top functions that are not among the baseline's top BASELINE_TOP. */
  functions: FunctionRow[]
}

/** µs a request of `ms` milliseconds over `requests` (0 when nothing was answered). */
const perRequest = (ms: number, requests: number) => (requests > 0 ? (ms * 1000) / requests : 0)

export function compareProfiles(
  scenario: string,
  budgets: string[],
  ours: ProfiledWindow,
  base: ProfiledWindow,
): ProfileComparison {
  const o = summarize(ours.profile)
  const b = summarize(base.profile)
  const names = new Set([...o.layers.keys(), ...b.layers.keys()])
  names.delete('idle')
  const layers = [...names]
    .map((layer) => {
      const portcullis = perRequest(o.layers.get(layer) ?? 0, ours.requests)
      const baseline = perRequest(b.layers.get(layer) ?? 0, base.requests)
      return { layer, portcullis, baseline, difference: portcullis - baseline }
    })
    .sort((x, y) => y.difference - x.difference)
  const baselineTop = new Set(
    [...b.functions]
      .sort((x, y) => y[1].ms - x[1].ms)
      .slice(0, BASELINE_TOP)
      .map(([name]) => sameCode(name)),
  )
  const functions = [...o.functions]
    .filter(([name]) => !baselineTop.has(sameCode(name)))
    .sort((x, y) => y[1].ms - x[1].ms)
    .slice(0, TOP_FUNCTIONS)
    .map(([name, { ms, layer }]) => ({
      function: name,
      layer,
      micros: perRequest(ms, ours.requests),
    }))
  const side = (window: ProfiledWindow, busy: number): Side => ({
    requests: window.requests,
    busyMicrosPerRequest: perRequest(busy, window.requests),
    profile: window.path,
  })
  return {
    scenario,
    budgets,
    portcullis: side(ours, o.busy),
    baseline: side(base, b.busy),
    layers,
    functions,
  }
}

const us = (n: number) => n.toFixed(1)
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${us(Math.abs(n))}`

/**
 * The printed section: its heading, the layers side by side with a total row (busy time a
 * request on each side), and Portcullis's top functions that the baseline's top has not.
 */
export function comparisonSection(c: ProfileComparison, how: string): string {
  const lines = [
    `#### Where the time goes: ${c.scenario} (${c.budgets.join('; ')})`,
    '',
    `${how}: Portcullis answered ${c.portcullis.requests.toLocaleString('en-US')} requests, the baseline ${c.baseline.requests.toLocaleString('en-US')}; ` +
      'self time on the main thread a request (busy ms × 1000 / requests), by layer:',
    '',
    '| layer | Portcullis µs a request | baseline µs a request | difference |',
    '|---|---:|---:|---:|',
    ...c.layers.map(
      (row) =>
        `| ${row.layer} | ${us(row.portcullis)} | ${us(row.baseline)} | ${signed(row.difference)} |`,
    ),
    `| **total (busy)** | **${us(c.portcullis.busyMicrosPerRequest)}** | **${us(c.baseline.busyMicrosPerRequest)}** | ` +
      `**${signed(c.portcullis.busyMicrosPerRequest - c.baseline.busyMicrosPerRequest)}** |`,
    '',
    `Portcullis's top ${TOP_FUNCTIONS} functions by self time a request, those among the baseline's top ${BASELINE_TOP} left out:`,
    '',
    '| function | layer | Portcullis µs a request |',
    '|---|---|---:|',
    ...c.functions.map((f) => `| \`${f.function}\` | ${f.layer} | ${us(f.micros)} |`),
  ]
  return lines.join('\n')
}
