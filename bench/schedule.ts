import { cpuSeconds } from './cpu.ts'
import { combine, type Measurement, type Run, runLoad } from './load.ts'
import type { Scenario, ScenarioId, Target } from './scenarios.ts'

/** How long and how hard to load each (server × scenario). */
export interface Schedule {
  connections: number
  /** Whole seconds per server and scenario, spread over the rounds. */
  seconds: number
  rounds: number
  warmupSeconds: number
  log: (message: string) => void
}

/** One (server × scenario), measured. */
export type Measured = Measurement & {
  scenario: ScenarioId
  server: string
  connections: number
  /** The status every answer should have had. */
  expect: number
  /** Answers with another status: errors too, never counted as served. */
  unexpected: number
  /** The server's CPU (all its processes) over the wall time: 1 = one core busy. */
  serverCpu: number | null
  /** Server CPU time per answer, in microseconds: what one request costs it. */
  cpuMicrosPerRequest: number | null
}

interface Tally {
  runs: Run[]
  cpu: number | null
  wall: number
}

async function timedRun(target: Target, scenario: Scenario, seconds: number, connections: number) {
  const cpuBefore = target.pid === undefined ? null : cpuSeconds(target.pid)
  const started = performance.now()
  const run = await runLoad({
    origin: target.origin,
    request: scenario.request(target),
    connections,
    seconds,
  })
  const cpuAfter = target.pid === undefined ? null : cpuSeconds(target.pid)
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
  return { run, cpu, wall: (performance.now() - started) / 1000 }
}

/**
 * Warm each target up on the scenario, then measure it in rounds that alternate the targets, the
 * first one changing every round: drift during the run (thermal, neighbours, sockets left in
 * TIME_WAIT by the previous run) then weighs on every server alike, and so does the ratio.
 */
export async function measureScenario(
  scenario: Scenario,
  targets: Target[],
  s: Schedule,
): Promise<Measured[]> {
  const connections = scenario.connections ?? s.connections
  const names = targets.map((t) => t.server).join(', ')
  s.log(
    `${scenario.id} on ${names}: ${s.warmupSeconds} s warm-up, then ${s.seconds} s each in ${s.rounds} rounds, ${connections} connections`,
  )
  for (const target of targets) await timedRun(target, scenario, s.warmupSeconds, connections)

  const tallies = new Map<Target, Tally>(targets.map((t) => [t, { runs: [], cpu: 0, wall: 0 }]))
  for (let round = 0; round < s.rounds; round++) {
    // autocannon stops on whole seconds, so rounds are whole seconds, the longer ones first.
    const length = Math.floor(s.seconds / s.rounds) + (round < s.seconds % s.rounds ? 1 : 0)
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const target of order) {
      const { run, cpu, wall } = await timedRun(target, scenario, length, connections)
      const tally = tallies.get(target)!
      tally.runs.push(run)
      tally.cpu = tally.cpu === null || cpu === null ? null : tally.cpu + cpu
      tally.wall += wall
    }
  }
  return targets.map((target) => {
    const tally = tallies.get(target)!
    const measurement = combine(tally.runs)
    const answered = Object.values(measurement.statusCodes).reduce((n, c) => n + c, 0)
    return {
      scenario: scenario.id,
      server: target.server,
      connections,
      ...measurement,
      expect: scenario.expect,
      unexpected: answered - (measurement.statusCodes[String(scenario.expect)] ?? 0),
      serverCpu: tally.cpu === null ? null : tally.cpu / tally.wall,
      cpuMicrosPerRequest:
        tally.cpu === null || measurement.requests === 0
          ? null
          : (tally.cpu / measurement.requests) * 1e6,
    }
  })
}
