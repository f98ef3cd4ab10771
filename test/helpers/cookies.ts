import type { LightMyRequestResponse } from 'fastify'

/** One Set-Cookie header, parsed. */
export interface SetCookie {
  name: string
  value: string
  attributes: Record<string, string | true>
}

/** The Set-Cookie headers of a response, by cookie name. */
export function setCookies(res: LightMyRequestResponse): Record<string, SetCookie> {
  const raw = res.headers['set-cookie']
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const out: Record<string, SetCookie> = {}
  for (const line of list) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim())
    const eq = pair.indexOf('=')
    const attributes: Record<string, string | true> = {}
    for (const a of attrs) {
      const i = a.indexOf('=')
      attributes[(i === -1 ? a : a.slice(0, i)).toLowerCase()] = i === -1 ? true : a.slice(i + 1)
    }
    out[pair.slice(0, eq)] = {
      name: pair.slice(0, eq),
      value: decodeURIComponent(pair.slice(eq + 1)),
      attributes,
    }
  }
  return out
}

/** A browser's cookie jar, enough for tests: keeps what responses set, sends it back. */
export class CookieJar {
  readonly cookies = new Map<string, string>()

  /** Remember a response's cookies (an expired or emptied cookie is dropped). */
  take(res: LightMyRequestResponse): this {
    for (const c of Object.values(setCookies(res))) {
      const expired = c.attributes.expires && Date.parse(String(c.attributes.expires)) <= Date.now()
      if (c.value === '' || expired || c.attributes['max-age'] === '0') this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return this
  }

  /** The Cookie header to send. */
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)
  }
}
