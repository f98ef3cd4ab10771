import type { FastifyInstance } from 'fastify'

/** Where a bench server reads its database, and how many processes serve it. */
export function serverEnv(): { database: string; workers: number }

/**
 * Serve `start()`'s app on loopback and tell the parent the port (`READY <port>` on stdout).
 * BENCH_WORKERS=N: N processes on one port (node cluster), READY once all of them listen. Never
 * outlives the parent. BENCH_PROFILE_DIR: V8's CPU profiler, started and stopped over IPC.
 */
export function serve(start: () => Promise<FastifyInstance>): Promise<void>
