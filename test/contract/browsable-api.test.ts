import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Content negotiation (API.md §9) and what the browsable page shows, over real HTTP semantics
// through inject; the page's forms in a real browser are in test/browser/browsable-api.test.ts.
let t: TestApp
let alice: TestUser
let bob: TestUser
let aliceList: number

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  const created = await t.request({
    method: 'POST',
    url: '/bucketlists/',
    json: { name: '<script>alert("x")</script> & more' },
    token: alice.token,
  })
  aliceList = (created.json() as { id: number }).id
})
afterAll(() => t?.close())

const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

describe('content negotiation', () => {
  it.each([
    [undefined, '', 'application/json'],
    ['*/*', '', 'application/json'],
    ['application/json', '', 'application/json'],
    [html, '', 'text/html'],
    ['application/json, text/html', '', 'application/json'],
    ['text/html;q=0.5, application/json', '', 'application/json'],
    ['text/*', '', 'text/html'],
    [html, '?format=json', 'application/json'],
    [undefined, '?format=api', 'text/html'],
    ['text/html', '?format=api', 'text/html'],
  ])('Accept %s with "%s" answers %s', async (accept, query, type) => {
    const answer = await t.request({
      method: 'GET',
      url: `/bucketlists/${query}`,
      token: alice.token,
      headers: accept ? { accept } : {},
    })
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['content-type']).toMatch(new RegExp(`^${type}`))
    expect(String(answer.headers.vary)).toContain('Accept')
  })

  it('answers 406 with DRF body for an Accept it cannot satisfy', async () => {
    for (const [accept, query] of [
      ['image/png', ''],
      ['application/xml', ''],
      ['application/json', '?format=api'],
      ['text/html', '?format=json'],
      ['text/html;q=0, application/json;q=0', ''],
      // Present but empty accepts nothing; only an absent Accept means */* (as DRF).
      ['', ''],
    ]) {
      const answer = await t.request({
        method: 'GET',
        url: `/bucketlists/${query}`,
        token: alice.token,
        headers: { accept },
      })
      expect(answer.statusCode, `${accept} ${query}`).toBe(406)
      expect(answer.json()).toEqual({ detail: 'Could not satisfy the request Accept header.' })
    }
  })

  it('answers an unknown ?format= with 404, as DRF', async () => {
    const answer = await t.request({ method: 'GET', url: '/bucketlists/?format=xml' })
    expect(answer.statusCode).toBe(404)
    expect(answer.json()).toEqual({ detail: 'Not found.' })
  })

  it('lists text/html among what OPTIONS says it renders', async () => {
    const answer = await t.request({ method: 'OPTIONS', url: '/bucketlists/', token: alice.token })
    expect(answer.json()).toMatchObject({
      name: 'Bucketlist List',
      renders: ['application/json', 'text/html'],
    })
  })
})

describe('the browsable page', () => {
  const page = (
    url: string,
    user?: TestUser,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' = 'GET',
    json?: unknown,
  ) => t.request({ method, url, token: user?.token, json, headers: { accept: 'text/html' } })

  it('shows the request, the status, the headers and the escaped JSON', async () => {
    const answer = await page(`/bucketlists/${aliceList}/`, alice)
    expect(answer.statusCode).toBe(200)
    const body = answer.body
    expect(body).toContain(`<b>GET</b> /bucketlists/${aliceList}/`)
    expect(body).toContain('HTTP 200 OK')
    expect(body).toContain('Allow: GET, PUT, PATCH, DELETE, HEAD, OPTIONS')
    expect(body).toContain('&#60;script&#62;alert(\\"x\\")&#60;/script&#62; &#38; more')
    expect(body).not.toContain('<script>alert')
    expect(body).toContain('<span class="username">alice</span>')
  })

  it('offers the create form on a list, and edit and delete to the owner only', async () => {
    const list = await page('/bucketlists/', alice)
    expect(list.body).toContain('<h2 id="create--heading">Create</h2>')
    expect(list.body).not.toContain('value="DELETE"')
    const own = await page(`/bucketlists/${aliceList}/`, alice)
    expect(own.body).toContain('<h2 id="edit--heading">Edit</h2>')
    expect(own.body).toContain('value="DELETE"')
    // bob may not touch alice's list: a 403 page, with nothing to edit or delete.
    const other = await page(`/bucketlists/${aliceList}/`, bob)
    expect(other.statusCode).toBe(403)
    expect(other.body).toContain('HTTP 403 Forbidden')
    expect(other.body).not.toContain('Edit</h2>')
    expect(other.body).not.toContain('value="DELETE"')
  })

  it('shows validation errors next to the field they belong to, with what was sent', async () => {
    const answer = await page('/bucketlists/', alice, 'POST', { name: 'x'.repeat(300) })
    expect(answer.statusCode).toBe(400)
    expect(answer.body).toContain('HTTP 400 Bad Request')
    expect(answer.body).toMatch(
      /id="create-name-errors"><li>Ensure this field has no more than 255 characters\.<\/li>/,
    )
    expect(answer.body).toContain(`value="${'x'.repeat(300)}"`)
    expect(answer.body).toContain('aria-invalid="true"')
  })

  it('shows a 204 as a page sent with 200, and the change is made', async () => {
    const made = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      json: { name: 'short-lived' },
      token: alice.token,
    })
    const id = (made.json() as { id: number }).id
    const answer = await page(`/bucketlists/${id}/`, alice, 'DELETE')
    expect(answer.statusCode).toBe(200)
    expect(answer.body).toContain('HTTP 204 No Content')
    const gone = await t.request({ method: 'GET', url: `/bucketlists/${id}/`, token: alice.token })
    expect(gone.statusCode).toBe(404)
  })

  it('asks an anonymous browser to log in without opening the Basic-auth prompt', async () => {
    const answer = await page('/bucketlists/')
    expect(answer.statusCode).toBe(401)
    expect(answer.headers['www-authenticate']).toBeUndefined()
    expect(answer.body).toContain('href="/api-auth/login/?next=%2Fbucketlists%2F">Log in</a>')
    // The JSON answer keeps its challenge.
    const json = await t.request({ method: 'GET', url: '/bucketlists/' })
    expect(json.headers['www-authenticate']).toBe('Basic realm="api"')
  })

  it('links pagination and URLs in the answer', async () => {
    for (let i = 0; i < 21; i++) {
      await t.request({
        method: 'POST',
        url: '/bucketlists/',
        json: { name: `list ${i}` },
        token: bob.token,
      })
    }
    const answer = await page('/bucketlists/', bob)
    expect(answer.body).toContain('<nav class="pagination" aria-label="Pages">')
    expect(answer.body).toMatch(
      /<a href="http:\/\/localhost(:\d+)?\/bucketlists\/\?page=2" rel="next">Next »<\/a>/,
    )
    expect(answer.body).toMatch(
      /"<a href="http:\/\/localhost(:\d+)?\/bucketlists\/\?page=2" rel="nofollow">/,
    )
  })

  it('serves its stylesheet and script from the server itself', async () => {
    const answer = await page('/bucketlists/', alice)
    const assets = [...answer.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1])
    expect(assets).toHaveLength(2)
    for (const url of assets) {
      const asset = await t.request({ method: 'GET', url: url! })
      expect(asset.statusCode).toBe(200)
      expect(asset.headers['content-type']).toMatch(/^text\/(css|javascript)/)
    }
    expect(answer.body).not.toMatch(/(?:href|src)="https?:\/\//)
  })
})
