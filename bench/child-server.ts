import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** Where a bench server reads its database and which port it takes (0: any free one). */
export function serverEnv(): { dbPath: string; port: number } {
  const dbPath = process.env.BENCH_DB
  if (!dbPath) throw new Error('BENCH_DB (the SQLite file to serve) is not set')
  return { dbPath, port: Number(process.env.BENCH_PORT ?? 0) }
}

/**
 * Tell the parent the server listens (`READY <port>` on stdout: with port 0 only the child knows
 * it), and make sure the child never outlives the parent, even one killed by SIGKILL.
 */
export function announceReady(app: FastifyInstance): void {
  const stop = () => {
    app.close().finally(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  // The IPC channel closes with the parent, however it died.
  if (process.send) process.once('disconnect', stop)
  const { port } = app.server.address() as AddressInfo
  process.stdout.write(`READY ${port}\n`)
}
