// autocannon ships no types and @types/autocannon is not a dependency: only what bench/ uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    interface Options {
      url: string
      method?: string
      body?: string
      requests?: { setupRequest?: <T extends { body?: string }>(request: T) => T }[]
      connections?: number
      duration?: number
      headers?: Record<string, string>
      timeout?: number
    }
    interface Result {
      duration: number
      errors: number
      timeouts: number
      resets: number
      requests: { average: number; total: number; sent: number }
      statusCodeStats: Record<string, { count: number }>
    }
    interface Instance extends EventEmitter {
      on(
        event: 'response',
        listener: (
          client: unknown,
          statusCode: number,
          bytes: number,
          responseTime: number,
        ) => void,
      ): this
      on(event: 'reqError', listener: (error: Error & { code?: string }) => void): this
      stop(): void
    }
  }

  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance

  export = autocannon
}
