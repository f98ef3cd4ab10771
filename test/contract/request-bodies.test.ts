import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multipart } from '../helpers/images.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// How request bodies are read: the checks before the body, the field cap (Django's
// DATA_UPLOAD_MAX_NUMBER_FIELDS), strict UTF-8 JSON, and multipart forms on every route.
let t: TestApp
let alice: TestUser
const TOO_MANY = { detail: 'Too many fields: a request body may have at most 1000.' }

beforeAll(async () => {
  t = await createTestApp({ MAX_UPLOAD_BYTES: '4096' })
  alice = await t.user('alice')
})
afterAll(() => t?.close())

async function bucketlistCount() {
  const row = await t.db
    .selectFrom('bucketlists')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

function post(body: { payload: string | Buffer; headers: Record<string, string> }) {
  return t.request({ method: 'POST', url: '/bucketlists/', token: alice.token, ...body })
}

const json = (payload: string | Buffer) => ({
  payload,
  headers: { 'content-type': 'application/json' },
})
const form = (payload: string) => ({
  payload,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
})

/** A JSON object of `n` keys (`name` and `k1`…), as text. */
function manyKeys(n: number) {
  const keys = Array.from({ length: n - 1 }, (_, i) => `"k${i + 1}":0`)
  return `{"name":"many",${keys.join(',')}}`
}

/**
 * A request announcing `body` that sends only its first half and never the rest: it can be
 * answered only by a server that decides before reading the body.
 */
function unfinished(body: string) {
  const stream = new PassThrough()
  stream.write(body.slice(0, body.length / 2))
  return {
    payload: stream,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  }
}

/** The answer, or "no answer" when none came within `ms` (the server is waiting for the body). */
async function answerWithin(pending: Promise<{ statusCode: number }>, ms = 3000) {
  const timeout = new Promise<'no answer'>((resolve) => setTimeout(resolve, ms, 'no answer'))
  const res = await Promise.race([pending, timeout])
  return res === 'no answer' ? res : res.statusCode
}

describe('JSON bodies are strict UTF-8', () => {
  it('refuses invalid bytes with the JSON parse error DRF gives, and writes nothing', async () => {
    const before = await bucketlistCount()
    const res = await post(json(Buffer.from('{"name":"\xff\xfe"}', 'latin1')))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      detail:
        "JSON parse error - 'utf-8' codec can't decode byte 0xff in position 9: invalid start byte",
    })
    expect(await bucketlistCount()).toBe(before)
  })

  it('refuses a sequence cut short, and takes well-formed UTF-8 as it is', async () => {
    const cut = await post(json(Buffer.from([...Buffer.from('{"name":"a'), 0xe2, 0x82])))
    expect(cut.json()).toEqual({
      detail:
        "JSON parse error - 'utf-8' codec can't decode bytes in position 10-11: unexpected end of data",
    })
    const ok = await post(json(Buffer.from('{"name":"€ 😀"}')))
    expect(ok.statusCode).toBe(201)
    expect(ok.json().name).toBe('€ 😀')
  })
})

describe('bodies have at most 1000 fields', () => {
  it('takes 1000 keys in a JSON body, refuses 1001 (over all its objects) with a 400', async () => {
    expect((await post(json(manyKeys(1000)))).statusCode).toBe(201)
    const before = await bucketlistCount()
    const nested = `{"name":"n","inner":${manyKeys(1000)}}`
    for (const body of [manyKeys(1001), nested]) {
      const res = await post(json(body))
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual(TOO_MANY)
    }
    expect(await bucketlistCount()).toBe(before)
  })

  it('refuses too many keys before parsing: a broken JSON of many keys is not a parse error', async () => {
    const res = await post(json(`${manyKeys(90_000).slice(0, -1)},}`))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(TOO_MANY)
  })

  it('takes 1000 form fields, refuses 1001 as Django does', async () => {
    const fields = (n: number) =>
      ['name=form', ...Array.from({ length: n - 1 }, (_, i) => `k${i}=v`)].join('&')
    expect((await post(form(fields(1000)))).statusCode).toBe(201)
    const res = await post(form(fields(1001)))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(TOO_MANY)
  })

  it('takes 1000 multipart fields, refuses 1001', async () => {
    const fields = (n: number) => [
      { field: 'name', data: 'parts' },
      ...Array.from({ length: n - 1 }, (_, i) => ({ field: `k${i}`, data: 'v' })),
    ]
    expect((await post(await multipart(fields(1000)))).statusCode).toBe(201)
    const res = await post(await multipart(fields(1001)))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(TOO_MANY)
  })
})

describe('refusals come before the body is read', () => {
  it('answers 429 to a client over its rate without waiting for its ~1 MB body', async () => {
    const limited = await createTestApp({ THROTTLE_RATES: 'user=1/min' })
    try {
      const bob = await limited.user('bob')
      const first = await limited.request({
        method: 'GET',
        url: '/bucketlists/',
        token: bob.token,
      })
      expect(first.statusCode).toBe(200)
      // About 1 MB of 90,000 keys, within the server's body limit.
      const body = manyKeys(90_000)
      expect(body.length).toBeGreaterThan(950_000)
      const pending = limited.request({
        method: 'POST',
        url: '/bucketlists/',
        token: bob.token,
        ...unfinished(body),
      })
      expect(await answerWithin(pending)).toBe(429)
    } finally {
      await limited.close()
    }
  })

  it('answers 401 to an anonymous client without waiting for its body', async () => {
    const pending = t.request({
      method: 'POST',
      url: '/bucketlists/',
      ...unfinished('{"name":"anonymous"}'),
    })
    expect(await answerWithin(pending)).toBe(401)
  })
})

describe('multipart forms on every route', () => {
  it('creates a bucketlist from `-F name=x`', async () => {
    const res = await post(await multipart([{ field: 'name', data: 'from curl -F' }]))
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ name: 'from curl -F', owner: 'alice' })
  })

  it('drops a file sent to a route that takes none, up to the upload cap', async () => {
    const small = await post(
      await multipart([
        { field: 'name', data: 'with a file' },
        { field: 'attachment', data: Buffer.alloc(1000, 1), filename: 'a.bin' },
      ]),
    )
    expect(small.statusCode, small.body).toBe(201)
    const before = await bucketlistCount()
    const large = await post(
      await multipart([
        { field: 'name', data: 'with a large file' },
        { field: 'attachment', data: Buffer.alloc(5000, 1), filename: 'a.bin' },
      ]),
    )
    expect(large.statusCode).toBe(400)
    expect(large.json()).toEqual({
      detail: 'Multipart form parse error - a file is larger than 4096 bytes',
    })
    expect(large.headers.connection).toBe('close')
    expect(await bucketlistCount()).toBe(before)
  })

  it('answers a malformed multipart body with 400, after authentication', async () => {
    // No boundary: DRF's "Multipart form parse error - Invalid boundary in multipart: None".
    const malformed = { payload: 'garbage', headers: { 'content-type': 'multipart/form-data' } }
    const anonymous = await t.request({ method: 'POST', url: '/bucketlists/', ...malformed })
    expect(anonymous.statusCode).toBe(401)
    const res = await post(malformed)
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toMatch(/^Multipart form parse error - /)
  })
})
