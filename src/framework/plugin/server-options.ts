import type { Server } from 'node:http'
import type { FastifyHttpOptions, FastifyServerOptions } from 'fastify'
import { apiClientErrorHandler, apiFrameworkErrors } from '../render/client-errors.ts'
import { securityHeaders } from '../render/security-headers.ts'

/** What `serverOptions` takes: the settings Fastify needs before any plugin runs. */
export interface ServerOptionsSettings {
  /** The longest a client may take to send a whole request, in ms (default 30 s). */
  requestTimeoutMs?: number
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); default: none. */
  trustedProxies?: string[]
  /** Strict-Transport-Security's max-age, also on answers written before any hook (default 0). */
  hstsSeconds?: number
  /** The largest body in bytes (default 1 MiB). */
  bodyLimit?: number
  logger?: FastifyServerOptions['logger']
}

/** A whole request in 30 s: a slow but honest 2 MiB upload (70 KB/s) fits, a trickle does not. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/**
 * Fastify's constructor options for a Portcullis server: `Fastify(serverOptions({...}))`. They
 * bound slow clients, keep client-sent request ids out of logs, and answer malformed requests
 * (bad URLs, timeouts, broken heads) as the API's errors, with its security headers.
 */
export function serverOptions(settings: ServerOptionsSettings = {}): FastifyHttpOptions<Server> {
  const requestTimeout = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  if (!(Number.isInteger(requestTimeout) && requestTimeout > 0)) {
    throw new Error(`requestTimeoutMs must be a positive whole number, got ${requestTimeout}`)
  }
  const headers = securityHeaders({ hstsSeconds: settings.hstsSeconds })
  return {
    logger: settings.logger ?? false,
    trustProxy: settings.trustedProxies?.length ? settings.trustedProxies : undefined,
    requestIdHeader: false,
    bodyLimit: settings.bodyLimit ?? 1024 * 1024,
    // A request not received in time is answered 408 and its connection closed; Node looks at
    // its connections every connectionsCheckingInterval, so the answer comes within about a
    // tenth of the bound after it.
    requestTimeout,
    http: {
      requestTimeout,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeout / 10)),
    },
    // A close drains (drainOnClose): requests on open connections are served, not refused.
    return503OnClosing: false,
    forceCloseConnections: false,
    clientErrorHandler: apiClientErrorHandler(headers),
    frameworkErrors: apiFrameworkErrors(headers),
  }
}
