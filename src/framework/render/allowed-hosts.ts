import type { FastifyInstance } from 'fastify'
import { ApiError } from '../errors.ts'
import { sendApiError } from './errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The hosts this server answers for, when `installAllowedHosts` guards it. */
    allowedHosts?: AllowedHosts
  }
}

/** The hosts a development server answers for when none are configured. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

// Django's host_validation_re: a DNS name or a bracketed IPv6 address, then an optional port.
const HOST_SYNTAX = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/

/** The host name of a Host header, without port or trailing dot; null when it is not one. */
function domainOf(host: string): string | null {
  const lower = host.toLowerCase()
  const match = HOST_SYNTAX.exec(lower)
  if (!match) return null
  const domain = match[1]
  return domain.endsWith('.') ? domain.slice(0, -1) : domain
}

/**
 * Django's ALLOWED_HOSTS: `example.com` names one host (any port), `.example.com` the domain
 * and its subdomains, `*` any host.
 */
export class AllowedHosts {
  private readonly names: Set<string>
  private readonly domains: string[]
  private readonly any: boolean
  // Host headers already allowed, as sent: a request's check is one Set lookup. Bounded, since
  // with `*` or a domain pattern a client can send ever new ones.
  private readonly seen = new Set<string>()

  constructor(patterns: readonly string[]) {
    const lower = patterns.map((p) => p.trim().toLowerCase()).filter(Boolean)
    this.any = lower.includes('*')
    this.names = new Set(lower.filter((p) => !p.startsWith('.')))
    this.domains = lower.filter((p) => p.startsWith('.'))
  }

  /** Whether a request with this Host header (or trusted X-Forwarded-Host) is answered. */
  allows(host: string): boolean {
    if (this.seen.has(host)) return true
    const domain = domainOf(host)
    if (domain === null || !this.matches(domain)) return false
    if (this.seen.size >= 256) this.seen.clear()
    this.seen.add(host)
    return true
  }

  private matches(domain: string): boolean {
    if (this.any || this.names.has(domain)) return true
    return this.domains.some((d) => domain.endsWith(d) || domain === d.slice(1))
  }
}

/**
 * 400 for a Host this server does not answer for (Django's DisallowedHost). The detail does not
 * repeat the Host: no answer carries a foreign host, and the log names it for the operator.
 */
export class DisallowedHost extends ApiError {
  override status = 400
  override code = 'disallowed_host'
  constructor(host: string) {
    super(
      domainOf(host)
        ? 'Invalid HTTP_HOST header. You may need to add its host to ALLOWED_HOSTS.'
        : 'Invalid HTTP_HOST header. The domain name provided is not valid according to RFC 1034/1035.',
    )
  }
}

/**
 * Answer 400 to a request whose Host (X-Forwarded-Host from a trusted proxy) is not one of
 * `hosts`, before anything reads it: links, redirects and mailed URLs are built from it, so a
 * forged Host would otherwise point them at another site. Install it first among the onRequest
 * hooks, after the security headers (the 400 carries them).
 */
export function installAllowedHosts(app: FastifyInstance, hosts: readonly string[] = LOCAL_HOSTS) {
  const allowed = new AllowedHosts(hosts)
  app.decorate('allowedHosts', allowed)
  app.addHook('onRequest', (request, reply, done) => {
    // Fastify's host follows X-Forwarded-Host only from the proxies trustProxy names.
    const host = request.host
    if (allowed.allows(host)) return done()
    request.log.warn({ host }, 'request refused: its Host is not in ALLOWED_HOSTS')
    // Plain JSON, never the browsable page: nothing of the site is rendered for a foreign host.
    request.format = 'json'
    sendApiError(reply, new DisallowedHost(host))
  })
}
