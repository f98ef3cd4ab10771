import {
  action,
  type ExceptionHandler,
  IsAdminUser,
  IsAuthenticated,
  ScopedRateThrottle,
  TokenScheme,
  viewset,
} from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MemoApp, type MemoUser, memoApp, memoBasics } from '../helpers/memo-app.ts'

// DRF's documented example, one step further: the status and code beside DRF's body. A request
// can ask the handler to keep DRF's body (undefined) or to fail, to see what the server does then.
const exceptionHandler: ExceptionHandler = (error, body, request) => {
  if (request.headers['x-handler'] === 'keep') return undefined
  if (request.headers['x-handler'] === 'fail') throw new Error('handler bug')
  return { code: error.code, status_code: error.status, errors: body }
}

const memos = viewset({
  ...memoBasics,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  policies: {
    create: { throttles: [ScopedRateThrottle('memos.create')] },
    destroy: { permissions: [IsAdminUser] },
  },
  extraActions: {
    crash: action({
      detail: false,
      methods: ['GET'],
      handler: () => {
        throw new Error('secret internals')
      },
    }),
  },
})

let m: MemoApp
let alice: MemoUser
let memo: number

beforeAll(async () => {
  m = await memoApp(memos, {
    throttleRates: { 'memos.create': '1/min' },
    now: () => Date.parse('2027-01-01T00:00:00Z'),
    exceptionHandler,
  })
  alice = await m.user('alice')
  const created = await m.request({
    method: 'POST',
    url: '/memos/',
    token: alice.token,
    json: { title: 'first' },
  })
  memo = created.json().id
})
afterAll(() => m?.close())

const answer = async (options: Parameters<MemoApp['request']>[0]) => {
  const res = await m.request(options)
  return { status: res.statusCode, body: res.json(), headers: res.headers }
}

describe('the exception handler', () => {
  it('shapes a 401, and the challenge is still sent', async () => {
    const res = await answer({ method: 'GET', url: '/memos/' })
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Token')
    expect(res.body).toEqual({
      code: 'not_authenticated',
      status_code: 401,
      errors: { detail: 'Authentication credentials were not provided.' },
    })
    const bad = await answer({ method: 'GET', url: '/memos/', token: 'nope' })
    expect(bad.body).toEqual({
      code: 'authentication_failed',
      status_code: 401,
      errors: { detail: 'Invalid token.' },
    })
  })

  it('shapes a 403 of a per-action permission', async () => {
    const res = await answer({ method: 'DELETE', url: `/memos/${memo}/`, token: alice.token })
    expect(res).toMatchObject({
      status: 403,
      body: {
        code: 'permission_denied',
        status_code: 403,
        errors: { detail: 'You do not have permission to perform this action.' },
      },
    })
  })

  it('shapes 404s: a missing object, an unknown path, a URL the router cannot decode', async () => {
    const notFound = { code: 'not_found', status_code: 404, errors: { detail: 'Not found.' } }
    for (const url of ['/memos/999999/', '/nowhere/', '/memos/%E0%A4%A/']) {
      expect(await answer({ method: 'GET', url, token: alice.token })).toMatchObject({
        status: 404,
        body: notFound,
      })
    }
  })

  it('shapes a 405 and keeps its Allow', async () => {
    const res = await answer({ method: 'DELETE', url: '/memos/', token: alice.token })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, POST, HEAD, OPTIONS')
    expect(res.body).toEqual({
      code: 'method_not_allowed',
      status_code: 405,
      errors: { detail: 'Method "DELETE" not allowed.' },
    })
  })

  it('shapes a 429 and keeps its Retry-After', async () => {
    const res = await answer({
      method: 'POST',
      url: '/memos/',
      token: alice.token,
      json: { title: 'second' },
    })
    expect(res.status).toBe(429)
    expect(res.headers['retry-after']).toBe('60')
    expect(res.body).toEqual({
      code: 'throttled',
      status_code: 429,
      errors: { detail: 'Request was throttled. Expected available in 60 seconds.' },
    })
  })

  it('shapes a validation 400, with its field errors as DRF gives them', async () => {
    const res = await answer({
      method: 'PUT',
      url: `/memos/${memo}/`,
      token: alice.token,
      json: { title: 'x'.repeat(21) },
    })
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: 'invalid',
        status_code: 400,
        errors: { title: ['Ensure this field has no more than 20 characters.'] },
      },
    })
  })

  it('shapes parse errors: malformed JSON and an unsupported media type', async () => {
    const url = `/memos/${memo}/`
    const malformed = await answer({
      method: 'PATCH',
      url,
      token: alice.token,
      headers: { 'content-type': 'application/json' },
      payload: '{"title": ',
    })
    expect(malformed).toMatchObject({
      status: 400,
      body: { code: 'parse_error', status_code: 400 },
    })
    const xml = await answer({
      method: 'PATCH',
      url,
      token: alice.token,
      headers: { 'content-type': 'application/xml' },
      payload: '<memo/>',
    })
    expect(xml).toMatchObject({
      status: 415,
      body: {
        code: 'unsupported_media_type',
        status_code: 415,
        errors: { detail: 'Unsupported media type "application/xml" in request.' },
      },
    })
  })

  it('shapes a 500 without telling its cause', async () => {
    const res = await answer({ method: 'GET', url: '/memos/crash/', token: alice.token })
    expect(res).toMatchObject({
      status: 500,
      body: { code: 'error', status_code: 500, errors: { detail: 'A server error occurred.' } },
    })
  })

  it("keeps DRF's body when the handler returns nothing, and answers 500 when it fails", async () => {
    const kept = await answer({ method: 'GET', url: '/nowhere/', headers: { 'x-handler': 'keep' } })
    expect(kept).toMatchObject({ status: 404, body: { detail: 'Not found.' } })
    const failed = await answer({ method: 'GET', url: '/memos/', headers: { 'x-handler': 'fail' } })
    expect(failed).toMatchObject({ status: 500, body: { detail: 'A server error occurred.' } })
  })

  it('still renders the browsable page, showing the shaped body', async () => {
    const res = await m.request({
      method: 'GET',
      url: `/memos/${memo}/`,
      headers: { accept: 'text/html' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('not_authenticated')
    expect(res.body).toContain('status_code')
  })
})
