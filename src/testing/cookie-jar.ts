/** A cookie as a response sets it (light-my-request's parsed `Set-Cookie`). */
export interface SetCookie {
  name: string
  value: string
  expires?: Date
  maxAge?: number
}

/**
 * The cookies a test client keeps between requests, as a browser would for one site: a cookie
 * set again replaces the old one, and one set expired (a `clearCookie`) is dropped. Paths and
 * domains are not told apart: a test talks to one app.
 */
export class CookieJar {
  readonly #cookies = new Map<string, { value: string; expires: number }>()

  /** Keep (or drop) what a response set. */
  store(cookie: SetCookie, now = Date.now()): void {
    const expires =
      cookie.maxAge !== undefined
        ? now + cookie.maxAge * 1000
        : (cookie.expires?.getTime() ?? Number.POSITIVE_INFINITY)
    if (expires <= now) this.#cookies.delete(cookie.name)
    else this.#cookies.set(cookie.name, { value: cookie.value, expires })
  }

  /** Set a cookie by hand, kept until `expires` (a session's cookie). */
  set(name: string, value: string, expires?: Date): void {
    this.store({ name, value, expires })
  }

  /** The live value of a cookie, or undefined. */
  get(name: string, now = Date.now()): string | undefined {
    const cookie = this.#cookies.get(name)
    if (cookie && cookie.expires <= now) this.#cookies.delete(name)
    return cookie && cookie.expires > now ? cookie.value : undefined
  }

  /** Every live cookie, name → value, for the next request. */
  values(now = Date.now()): Record<string, string> {
    const live: Record<string, string> = {}
    for (const name of [...this.#cookies.keys()]) {
      const value = this.get(name, now)
      if (value !== undefined) live[name] = value
    }
    return live
  }

  clear(): void {
    this.#cookies.clear()
  }
}
