import type { Rate } from './rate.ts'
import type { ThrottleStore } from './throttle-store.ts'

/** What throttles read from the server: rates by scope, the store, and the clock. */
export interface ThrottlingContext {
  rates: Readonly<Record<string, Rate>>
  store: ThrottleStore
  /** Milliseconds since the epoch; injectable so tests are exact. */
  now(): number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's throttle rates, store and clock. */
    throttling: ThrottlingContext
  }
}
