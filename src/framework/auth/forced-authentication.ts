import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Authenticated, AuthScheme } from './scheme.ts'

/*
 * DRF's force_authenticate, for `portcullis/testing` only. A test client registers a random
 * nonce on its app and sends it in FORCED_USER_HEADER; the pipeline, before any scheme, takes the
 * user registered under that nonce. The registry is a Symbol-keyed property that only the testing
 * module creates (this file is not exported from the `portcullis` entry), so on an app no test
 * client touched the header names nothing and the request goes on to the real schemes.
 */

/** The header a test client sends its nonce in. */
export const FORCED_USER_HEADER = 'x-portcullis-test-client'

const REGISTRY = Symbol('portcullis.forcedUsers')

type Registry = Map<string, Authenticated>
type WithRegistry = FastifyInstance & { [REGISTRY]?: Registry }

/**
 * The pseudo-scheme a forced request is authenticated by (DRF's ForcedAuthentication): it has no
 * challenge and enforces no CSRF, and it never authenticates a request by itself.
 */
export const ForcedAuthentication: AuthScheme = {
  name: 'forced',
  authenticate: () => null,
}

/**
 * The user a test client forced for this request, or null. One header read when no test client
 * is in use; a nonce not in the app's registry (made up, or forgotten) is null.
 */
export function forcedUser(request: FastifyRequest): Authenticated | null {
  const nonce = request.headers[FORCED_USER_HEADER]
  if (nonce === undefined) return null
  // Encapsulated plugins' instances inherit the root's properties, so any route's server finds it.
  const registry = (request.server as WithRegistry)[REGISTRY]
  return (typeof nonce === 'string' && registry?.get(nonce)) || null
}

/** Authenticate every request carrying `nonce` as `found` on this app; null forgets the nonce. */
export function forceUser(app: FastifyInstance, nonce: string, found: Authenticated | null): void {
  const server = app as WithRegistry
  if (found === null) {
    server[REGISTRY]?.delete(nonce)
    return
  }
  // Defined on the instance the client was given (the root app): routes' servers inherit it.
  if (!Object.hasOwn(server, REGISTRY)) {
    Object.defineProperty(server, REGISTRY, { value: new Map(), enumerable: false })
  }
  server[REGISTRY]!.set(nonce, found)
}
