import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'

/** Questions on the terminal (or piped stdin); passwords are not echoed. */
export interface Prompt {
  ask(question: string): Promise<string>
  secret(question: string): Promise<string>
  close(): void
}

/** A prompt over stdin/stdout; lines piped in before a question is asked are kept, not lost. */
export function terminalPrompt(): Prompt {
  let muted = false
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding)
      done()
    },
  })
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY })
  const lines = rl[Symbol.asyncIterator]()
  async function read(question: string, hidden: boolean) {
    process.stdout.write(question)
    muted = hidden
    const { value, done } = await lines.next()
    muted = false
    if (hidden) process.stdout.write('\n')
    if (done) throw new Error('input ended before an answer was given')
    return String(value)
  }
  return {
    ask: (q) => read(q, false),
    secret: (q) => read(q, true),
    close: () => rl.close(),
  }
}
