/** Progress of a long command, reported as work is done. */
export interface Progress {
  /** Count `n` more items done. */
  advance(n: number): void
  /** The work is over: end the bar's line. */
  finish(): void
}

/** Where a progress bar writes: stderr, or a test's stand-in. */
export interface ProgressStream {
  isTTY?: boolean
  write(text: string): unknown
}

const WIDTH = 30

/**
 * A progress bar on stderr, so stdout keeps only the report: redrawn in place with `\r` on a
 * terminal, one plain line per quarter otherwise (logs and pipes get no `\r` soup).
 */
export function progressBar(
  label: string,
  total: number,
  stream: ProgressStream = process.stderr,
): Progress {
  let done = 0
  let quartersShown = -1
  const line = () => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total)
    const filled = Math.round(ratio * WIDTH)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`
    return `${label} [${bar}] ${Math.floor(ratio * 100)}% ${done}/${total}`
  }
  const draw = () => {
    if (stream.isTTY) {
      stream.write(`\r${line()}`)
      return
    }
    const quarters = total === 0 ? 4 : Math.floor((done / total) * 4)
    if (quarters > quartersShown) {
      quartersShown = quarters
      stream.write(`${line()}\n`)
    }
  }
  draw()
  return {
    advance(n) {
      done += n
      draw()
    },
    finish() {
      if (stream.isTTY) stream.write('\n')
    },
  }
}
