import type { FastifyInstance } from 'fastify'

// Django's SecurityMiddleware and clickjacking defaults: no MIME sniffing, no framing by other
// sites, no full URLs leaked in Referer to other origins, a window of our own.
const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
}

/** The security headers (HSTS too when `hsts` seconds are given), for answers written raw too. */
export function securityHeaders(options: { hstsSeconds?: number } = {}): Record<string, string> {
  const headers = { ...HEADERS }
  if (options.hstsSeconds) headers['strict-transport-security'] = `max-age=${options.hstsSeconds}`
  return headers
}

/** Add the security headers to every answer (HSTS too when `hsts` seconds are given). */
export function installSecurityHeaders(
  app: FastifyInstance,
  options: { hstsSeconds?: number } = {},
) {
  const headers = securityHeaders(options)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}
