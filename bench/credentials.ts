/** Credentials minted over HTTP on a running server, the way a client gets them. */
import type { Facts, Scenario, Target } from './scenarios.ts'

export interface Answer {
  status: number
  body: unknown
  cookies: Record<string, string>
}

/** POST JSON; the answer's status, parsed body and the cookies it set. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(`cannot reach ${url}: ${error.cause ?? error}`)
  })
  const text = await response.text()
  const cookies: Record<string, string> = {}
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed, cookies }
}

function expectStatus(what: string, answer: Answer, status: number) {
  if (answer.status !== status) {
    throw new Error(`${what} → ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`)
  }
}

/** An access token from `POST /api/token/` (simplejwt's obtain pair). */
export async function mintJwt(origin: string, username: string, password: string) {
  const answer = await postJson(`${origin}/api/token/`, { username, password })
  expectStatus(`${origin} POST /api/token/`, answer, 200)
  const { access } = answer.body as { access?: unknown }
  if (typeof access !== 'string') throw new Error(`${origin} /api/token/ gave no access token`)
  return access
}

/**
 * A session from `POST /rbac/auth/login` (the JSON session login of API.md §8): the Cookie header
 * a browser would send back, and the CSRF secret its scripts put in X-CSRFToken.
 */
export async function sessionLogin(origin: string, email: string, password: string) {
  const answer = await postJson(`${origin}/rbac/auth/login`, { email, password })
  expectStatus(`${origin} POST /rbac/auth/login`, answer, 200)
  const { sessionid, csrftoken } = answer.cookies
  if (!sessionid || !csrftoken) {
    throw new Error(`${origin} session login set no sessionid and csrftoken cookies`)
  }
  return { cookie: `sessionid=${sessionid}; csrftoken=${csrftoken}`, csrf: csrftoken }
}

/** The rows the scenarios need, made the way the database's clients would make them. */
export async function withCredentials(target: Target, facts: Facts, scenarios: Scenario[]) {
  const needs = (id: string) => scenarios.some((s) => s.id === id)
  if (needs('jwt-status-list')) {
    facts.jwt = await mintJwt(target.origin, facts.username, facts.password)
  }
  if (needs('session-post')) {
    facts.session = await sessionLogin(target.origin, facts.writer.email, facts.writer.password)
  }
}
