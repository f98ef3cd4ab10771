// Plain JS, so a child on plain node (the built Portcullis, as `npm start` runs it) and the
// children under tsx (the baselines, or Portcullis from its sources with BENCH_TSX=1) share it;
// child-server.d.mts gives the TypeScript side its types.
import cluster from 'node:cluster'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { createServer as netServer } from 'node:net'

/** Where a bench server reads its database, and how many processes serve it. */
export function serverEnv() {
  const database = process.env.BENCH_DB
  if (!database) throw new Error('BENCH_DB (the SQLite file or PostgreSQL URL to serve) is not set')
  return { database, workers: Math.max(1, Number(process.env.BENCH_WORKERS ?? 1)) }
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = netServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Serve `start()`'s app on loopback and tell the parent the port (`READY <port>` on stdout: with
 * port 0 only the child knows it). BENCH_WORKERS=N: N processes on one port (node cluster, as
 * `WORKERS=N npm start`), READY once all of them listen. Never outlives the parent, even one
 * killed by SIGKILL: the IPC channel closes with it, however it died.
 */
export async function serve(start) {
  const { workers } = serverEnv()
  if (workers > 1 && cluster.isPrimary) {
    const port = await freePort()
    let listening = 0
    cluster.on('listening', () => {
      if (++listening === workers) process.stdout.write(`READY ${port}\n`)
    })
    cluster.on('exit', (_worker, code, signal) => {
      if (!stopping) {
        process.stderr.write(`bench server worker died (code ${code}, signal ${signal})\n`)
        stop()
      }
    })
    let stopping = false
    const stop = () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
      setTimeout(() => process.exit(0), 2000).unref()
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      })
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
    if (process.send) process.once('disconnect', stop)
    for (let i = 0; i < workers; i++) cluster.fork({ BENCH_PORT: String(port) })
    return
  }
  const app = await start()
  await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) })
  const stop = () => {
    app.close().finally(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  if (process.send) process.once('disconnect', stop)
  if (process.env.BENCH_PROFILE_DIR) profileOnRequest(process.env.BENCH_PROFILE_DIR)
  if (cluster.isPrimary) {
    process.stdout.write(`READY ${app.server.address().port}\n`)
  }
}

/**
 * V8's CPU profiler (what `node --cpu-prof` runs), started and stopped by the parent over IPC so
 * a profile holds the load window alone, not start-up: `{profile: 'start'}`, then
 * `{profile: 'stop', name}` writes `<dir>/<name>.cpuprofile` and answers `{profiled: path}`.
 */
function profileOnRequest(dir) {
  const session = new Session()
  session.connect()
  process.on('message', async (message) => {
    if (message.profile === 'start') {
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 100 })
      await session.post('Profiler.start')
      process.send({ profiling: true })
    } else if (message.profile === 'stop') {
      const { profile } = await session.post('Profiler.stop')
      const path = `${dir}/${message.name ?? 'profile'}.cpuprofile`
      writeFileSync(path, JSON.stringify(profile))
      process.send({ profiled: path })
    }
  })
}
