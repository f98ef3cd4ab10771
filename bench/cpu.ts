import { readdirSync, readFileSync } from 'node:fs'

// USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux that matters.
const TICKS_PER_SECOND = 100

/** A process's parent and CPU time so far (user + system, in ticks), or null when gone. */
function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    // Fields after the command name, which may itself contain spaces or parentheses.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return null
  }
}

/**
 * CPU seconds a process and its descendants (cluster workers) have used so far, or null off
 * Linux. Tells whether a server was the bottleneck (~100% of a core a process) or the load
 * generator or loopback was.
 */
export function cpuSeconds(pid: number): number | null {
  const root = stat(pid)
  if (root === null) return null
  const children = new Map<number, number[]>()
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const s = stat(Number(entry))
    if (s === null) continue
    ticks.set(Number(entry), s.ticks)
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(entry)])
  }
  let total = 0
  const stack = [pid]
  while (stack.length) {
    const p = stack.pop()!
    total += ticks.get(p) ?? 0
    stack.push(...(children.get(p) ?? []))
  }
  return total / TICKS_PER_SECOND
}
