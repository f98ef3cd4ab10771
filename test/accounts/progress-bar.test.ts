import { describe, expect, it } from 'vitest'
import { progressBar } from '../../src/accounts/cli/progress-bar.ts'

function fakeStream(isTTY: boolean) {
  const writes: string[] = []
  return { isTTY, writes, write: (text: string) => writes.push(text) }
}

describe('progressBar', () => {
  it('redraws one line in place on a terminal, and ends it when done', () => {
    const stream = fakeStream(true)
    const bar = progressBar('Importing', 4, stream)
    bar.advance(1)
    bar.advance(3)
    bar.finish()
    expect(stream.writes).toHaveLength(4)
    expect(stream.writes[1]).toBe(`\rImporting [${'#'.repeat(8)}${'-'.repeat(22)}] 25% 1/4`)
    expect(stream.writes[2]).toBe(`\rImporting [${'#'.repeat(30)}] 100% 4/4`)
    expect(stream.writes[3]).toBe('\n')
  })

  it('writes a plain line per quarter elsewhere (logs, pipes), never a carriage return', () => {
    const stream = fakeStream(false)
    const bar = progressBar('Importing', 1000, stream)
    for (let i = 0; i < 1000; i++) bar.advance(1)
    bar.finish()
    expect(stream.writes.map((line) => line.split('] ')[1])).toEqual([
      '0% 0/1000\n',
      '25% 250/1000\n',
      '50% 500/1000\n',
      '75% 750/1000\n',
      '100% 1000/1000\n',
    ])
    expect(stream.writes.join('')).not.toContain('\r')
  })

  it('shows an empty job as done', () => {
    const stream = fakeStream(false)
    progressBar('Importing', 0, stream).finish()
    expect(stream.writes).toEqual([`Importing [${'#'.repeat(30)}] 100% 0/0\n`])
  })
})
