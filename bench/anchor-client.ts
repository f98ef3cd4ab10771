import { postJson } from './credentials.ts'

/** A running anchor's HTTP API (DRF or NestJS), as a client and the bench's setup use it. */
export function anchorClient(name: string, base: string) {
  async function post(path: string, body: unknown, token?: string) {
    const answer = await postJson(
      `${base}${path}`,
      body,
      token ? { authorization: `Token ${token}` } : {},
    )
    if (answer.status >= 300) {
      throw new Error(`${name}: POST ${path} → ${answer.status}: ${JSON.stringify(answer.body)}`)
    }
    return answer.body as Record<string, unknown>
  }
  /** A new user registered through the API, with the token its password logs in for. */
  async function user(username: string) {
    const password = `Corr3ct-Horse-${username}`
    const email = `${username}@example.com`
    const created = await post('/api/auth/users/', { username, email, password })
    const { token } = await post('/get-token/', { username, password })
    if (typeof token !== 'string') throw new Error(`${name}: /get-token/ gave no token`)
    return { id: String(created.id), username, email, password, token }
  }
  /** `count` bucketlists owned by `owner`, made one by one; their ids. */
  async function bucketlists(owner: { username: string; token: string }, count: number) {
    const ids: number[] = []
    for (let i = 0; i < count; i++) {
      const created = await post(
        '/bucketlists/',
        { name: `${owner.username} list ${i}` },
        owner.token,
      )
      ids.push(Number(created.id))
    }
    return ids
  }
  /** Fail early, with the address, when nothing answers there. */
  async function checkHealth() {
    const health = await fetch(`${base}/health`).catch((error: Error) => {
      throw new Error(`${name}: cannot reach ${base} (is it running?): ${error.cause ?? error}`)
    })
    if (!health.ok) throw new Error(`${name}: GET /health → ${health.status}`)
  }
  return { post, user, bucketlists, checkHealth }
}
