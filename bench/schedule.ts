import { cpuSeconds } from './cpu.ts'
import { combine, type Measurement, type Run, runLoad } from './load.ts'
import { authHeaders, pathOf, SCENARIOS, type Scenario, type Target } from './verify.ts'

/** How long and how hard to load each (server × endpoint). */
export interface Schedule {
  connections: number
  /** Whole seconds per server and endpoint, spread over the rounds. */
  seconds: number
  rounds: number
  warmupSeconds: number
  log: (message: string) => void
}

/** One (server × endpoint), measured, before it is compared with the baseline. */
export type Measured = Measurement & {
  scenario: Scenario
  server: string
  serverCpu: number | null
}

interface Tally {
  runs: Run[]
  cpu: number | null
  wall: number
}

async function timedRun(target: Target, scenario: Scenario, seconds: number, s: Schedule) {
  const cpuBefore = target.pid === undefined ? null : cpuSeconds(target.pid)
  const started = performance.now()
  const run = await runLoad({
    url: target.origin + pathOf(target, scenario),
    headers: authHeaders(target),
    connections: s.connections,
    seconds,
  })
  const cpuAfter = target.pid === undefined ? null : cpuSeconds(target.pid)
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
  return { run, cpu, wall: (performance.now() - started) / 1000 }
}

/**
 * Warm every target up, then measure each scenario in rounds that alternate the targets, the
 * first one changing every round: drift during the run (thermal, neighbours, sockets left in
 * TIME_WAIT by the previous run) then weighs on every server alike, and so does the ratio.
 */
export async function measureGroup(targets: Target[], s: Schedule): Promise<Measured[]> {
  const names = targets.map((t) => t.server).join(', ')
  s.log(`${names}: warming up (${s.warmupSeconds} s per server and endpoint)`)
  for (const scenario of SCENARIOS) {
    for (const target of targets) await timedRun(target, scenario, s.warmupSeconds, s)
  }

  const measured: Measured[] = []
  for (const scenario of SCENARIOS) {
    s.log(
      `${names}: ${scenario}, ${s.seconds} s each in ${s.rounds} rounds, ${s.connections} connections`,
    )
    const tallies = new Map<Target, Tally>(targets.map((t) => [t, { runs: [], cpu: 0, wall: 0 }]))
    for (let round = 0; round < s.rounds; round++) {
      // autocannon stops on whole seconds, so rounds are whole seconds, the longer ones first.
      const length = Math.floor(s.seconds / s.rounds) + (round < s.seconds % s.rounds ? 1 : 0)
      const order = round % 2 === 0 ? targets : [...targets].reverse()
      for (const target of order) {
        const { run, cpu, wall } = await timedRun(target, scenario, length, s)
        const tally = tallies.get(target)!
        tally.runs.push(run)
        tally.cpu = tally.cpu === null || cpu === null ? null : tally.cpu + cpu
        tally.wall += wall
      }
    }
    for (const target of targets) {
      const tally = tallies.get(target)!
      measured.push({
        scenario,
        server: target.server,
        ...combine(tally.runs),
        serverCpu: tally.cpu === null ? null : tally.cpu / tally.wall,
      })
    }
  }
  return measured
}

/** Each measurement with its throughput over the baseline's for the same scenario. */
export function againstBaseline(measured: Measured[], baseline: string) {
  return measured.map((m) => {
    const reference = measured.find((r) => r.server === baseline && r.scenario === m.scenario)!
    return { ...m, ratioVsBaseline: m.requestsPerSecond / reference.requestsPerSecond }
  })
}
