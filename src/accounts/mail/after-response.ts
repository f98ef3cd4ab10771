import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Run `job` once the answer has gone out. Work that only some requests need (looking up the
 * account an email names, and mailing it a link) must not be done before the answer: its time
 * would tell an address with an account from one without. Whatever the email, the answer is the
 * same bytes after the same work; a failure of the job is logged, never the client's.
 */
export function afterResponse(
  request: FastifyRequest,
  reply: FastifyReply,
  what: string,
  job: () => Promise<void>,
): void {
  let started = false
  const start = () => {
    if (started) return
    started = true
    // setImmediate: after the write's own callbacks, so the job never delays the answer's bytes.
    setImmediate(() => {
      job().catch((err: unknown) => request.log.error({ err }, `could not ${what}`))
    })
  }
  // 'finish' when the answer is handed to the OS; 'close' when the client left first.
  reply.raw.once('finish', start)
  reply.raw.once('close', start)
}
