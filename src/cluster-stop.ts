import type { Worker } from 'node:cluster'
import type { FastifyInstance } from 'fastify'
import { stopAccepting } from 'portcullis'

const STOP_ACCEPTING = 'portcullis:stop-accepting'
const STOPPED_ACCEPTING = 'portcullis:stopped-accepting'

// Were a worker to drain (answering `Connection: close`) while another still accepted, its clients
// would reconnect to the port, the primary would accept them for a worker about to stop, and
// reset them when the last one did. So the port closes first, for every worker, then they drain.

/** The primary: every worker stops accepting (the port closes), then each drains on SIGTERM. */
export async function stopWorkers(workers: Worker[], timeoutMs = 2000): Promise<void> {
  await Promise.all(workers.map((worker) => stoppedAccepting(worker, timeoutMs)))
  for (const worker of workers) worker.process.kill('SIGTERM')
}

function stoppedAccepting(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('exit', done)
      resolve()
    }
    const onMessage = (message: unknown) => {
      if (message === STOPPED_ACCEPTING) done()
    }
    // A worker that does not answer is stopped all the same.
    const timer = setTimeout(done, timeoutMs)
    worker.on('message', onMessage)
    worker.once('exit', done)
    if (!worker.isConnected()) return done()
    worker.send(STOP_ACCEPTING, (err: Error | null) => {
      if (err) done()
    })
  })
}

/** A worker: on the primary's word, stop accepting (still serving open connections), and say so. */
export function stopAcceptingOnRequest(app: FastifyInstance): void {
  process.on('message', (message) => {
    if (message !== STOP_ACCEPTING) return
    stopAccepting(app)
    // Sent after the close of the listener: the primary sees the port closed before this word.
    process.send?.(STOPPED_ACCEPTING)
  })
}
