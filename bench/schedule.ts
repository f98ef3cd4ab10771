import { cpuSeconds } from './cpu.ts'
import { combine, type Measurement, median, type Run, runLoad } from './load.ts'
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
  /** The load generator's CPU over the wall time: what the client took. */
  clientCpu: number
  /** Server CPU time per answer, in microseconds: what one request costs it. */
  cpuMicrosPerRequest: number | null
  /**
   * Each process's requests a second over its own rounds (a leg's twins, in turn): with more
   * than one, `requestsPerSecond` is their median, and `pooledRequestsPerSecond` every round's.
   */
  processRates: number[]
  pooledRequestsPerSecond: number
}

interface Tally {
  runs: Run[]
  /** Runs by the process (index in the leg) that served them. */
  byProcess: Map<number, Run[]>
  cpu: number | null
  client: number
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
  const wall = (performance.now() - started) / 1000
  const cpuAfter = target.pid === undefined ? null : cpuSeconds(target.pid)
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
  return { run, cpu, client: run.clientCpuSeconds, wall }
}

/** One server loaded with one scenario, as one leg of an alternation. */
export interface Leg {
  scenario: Scenario
  target: Target
  /**
   * Processes of the same server with the same data (the target's twins): rounds take them in
   * turn. Identical processes here differ by up to a third in CPU per request, and stay so for
   * their life (measured: 73 against 110 µs on one detail), so a ratio between two single
   * processes is as much about which process drew the better luck as about the code.
   */
  twins?: Target[]
  /** The server's name in the results, when not the target's own. */
  server?: string
}

const processesOf = (leg: Leg) => [leg.target, ...(leg.twins ?? [])]

/**
 * Warm each leg up, then measure them in rounds that alternate, the first one changing every
 * round: drift during the run (thermal, neighbours, sockets left in TIME_WAIT by the previous
 * run) then weighs on every leg alike, and so does their ratio.
 */
export async function measureAlternating(legs: Leg[], s: Schedule): Promise<Measured[]> {
  const connectionsOf = (leg: Leg) => leg.scenario.connections ?? s.connections
  const names = legs.map((l) => `${l.scenario.id} on ${l.server ?? l.target.server}`).join(', ')
  s.log(
    `${names}: ${s.warmupSeconds} s warm-up, then ${s.seconds} s each in ${s.rounds} rounds, ${connectionsOf(legs[0])} connections`,
  )
  for (const leg of legs) {
    for (const target of processesOf(leg)) {
      await timedRun(target, leg.scenario, s.warmupSeconds, connectionsOf(leg))
    }
  }

  const tallies = new Map<Leg, Tally>(
    legs.map((l) => [l, { runs: [], byProcess: new Map(), cpu: 0, client: 0, wall: 0 }]),
  )
  for (let round = 0; round < s.rounds; round++) {
    // Rounds are whole seconds (autocannon stops on its 1 s tick), the longer ones first.
    const length = Math.floor(s.seconds / s.rounds) + (round < s.seconds % s.rounds ? 1 : 0)
    const order = round % 2 === 0 ? legs : [...legs].reverse()
    for (const leg of order) {
      const processes = processesOf(leg)
      const which = round % processes.length
      const { run, cpu, client, wall } = await timedRun(
        processes[which],
        leg.scenario,
        length,
        connectionsOf(leg),
      )
      const tally = tallies.get(leg)!
      tally.runs.push(run)
      tally.byProcess.set(which, [...(tally.byProcess.get(which) ?? []), run])
      tally.cpu = tally.cpu === null || cpu === null ? null : tally.cpu + cpu
      tally.client += client
      tally.wall += wall
    }
  }
  return legs.map((leg) => {
    const tally = tallies.get(leg)!
    const measurement = combine(tally.runs)
    const answered = Object.values(measurement.statusCodes).reduce((n, c) => n + c, 0)
    const processRates = [...tally.byProcess.values()].map(
      (runs) => runs.reduce((n, r) => n + r.requests, 0) / runs.reduce((n, r) => n + r.seconds, 0),
    )
    return {
      scenario: leg.scenario.id,
      server: leg.server ?? leg.target.server,
      connections: connectionsOf(leg),
      ...measurement,
      // Identical processes differ by up to 40% here: the middle one speaks for the server.
      requestsPerSecond: median(processRates),
      pooledRequestsPerSecond: measurement.requestsPerSecond,
      processRates,
      expect: leg.scenario.expect,
      unexpected: answered - (measurement.statusCodes[String(leg.scenario.expect)] ?? 0),
      serverCpu: tally.cpu === null ? null : tally.cpu / tally.wall,
      clientCpu: tally.client / tally.wall,
      cpuMicrosPerRequest:
        tally.cpu === null || measurement.requests === 0
          ? null
          : (tally.cpu / measurement.requests) * 1e6,
    }
  })
}

/** One scenario on each target (the baseline and Portcullis), in alternating rounds. */
export function measureScenario(
  scenario: Scenario,
  targets: Target[],
  s: Schedule,
): Promise<Measured[]> {
  return measureAlternating(
    targets.map((target) => ({ scenario, target })),
    s,
  )
}
