import { readFileSync } from 'node:fs'

// USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux that matters.
const TICKS_PER_SECOND = 100

/**
 * CPU seconds a process has used so far (user + system), or null off Linux. Tells whether a
 * server was the bottleneck (~100% of a core) or the load generator or loopback was.
 */
export function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name, which may itself contain spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return null
  }
}
