import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeOrganization } from '../helpers/rbac-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// The browsable API's forms as the server builds them, and form bodies as a browser without
// script posts them (every input sent, blank or not); Chromium's side is in
// test/browser/browsable-forms.test.ts.
let t: TestApp
let gus: TestUser
let hal: TestUser

beforeAll(async () => {
  t = await createTestApp()
  gus = await t.user('gus')
  hal = await t.user('hal')
})
afterAll(() => t?.close())

const form = 'application/x-www-form-urlencoded'

function post(user: TestUser, url: string, payload: string, contentType = form) {
  return t.request({
    method: 'POST',
    url,
    token: user.token,
    headers: { 'content-type': contentType },
    payload,
  })
}

async function make(user: TestUser, url: string, json: unknown): Promise<number> {
  const answer = await t.request({ method: 'POST', url, json, token: user.token })
  expect(answer.statusCode).toBe(201)
  return (answer.json() as { id: number }).id
}

const page = (user: TestUser, url: string) =>
  t.request({ method: 'GET', url, token: user.token, headers: { accept: 'text/html' } })

/** The HTML of one form field's input, found by its id. */
function input(body: string, id: string): string {
  const start = body.search(new RegExp(`<(input|select|textarea)[^>]*id="${id}"`))
  expect(start, id).toBeGreaterThan(-1)
  const tag = /^<(\w+)/.exec(body.slice(start))![1]
  const end = tag === 'input' ? body.indexOf('>', start) + 1 : body.indexOf(`</${tag}>`, start)
  return body.slice(start, end)
}

const options = (html: string) =>
  [...html.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1])

describe('a form post with blank optional fields', () => {
  it('gives a survey its default status and an empty description', async () => {
    const answer = await post(gus, '/survey/api/surveys/', 'title=Blank&description=&status=')
    expect(answer.statusCode).toBe(201)
    expect(answer.json()).toMatchObject({ title: 'Blank', description: '', status: 'draft' })
  })

  it('reads a multipart form the same way', async () => {
    const boundary = 'formboundary'
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
    const payload = `${part('title', 'Multipart')}${part('status', '')}--${boundary}--\r\n`
    const answer = await post(
      gus,
      '/survey/api/surveys/',
      payload,
      `multipart/form-data; boundary=${boundary}`,
    )
    expect(answer.statusCode).toBe(201)
    expect(answer.json()).toMatchObject({ title: 'Multipart', status: 'draft' })
  })

  it('makes a loan now, not returned, when `when` and `returned` are blank', async () => {
    const what = await make(gus, '/api/v1/belongings/', { name: 'Kayak' })
    const toWho = await make(gus, '/api/v1/friends/', { name: 'Ida' })
    const before = Date.now()
    const answer = await post(
      gus,
      '/api/v1/borrowings/',
      `what=${what}&to_who=${toWho}&when=&returned=`,
    )
    expect(answer.statusCode).toBe(201)
    const loan = answer.json()
    expect(loan).toMatchObject({ what, to_who: toWho, returned: null })
    expect(Math.abs(Date.parse(loan.when) - before)).toBeLessThan(60_000)
  })

  it('adds an RBAC member by email alone', async () => {
    const fixture = await makeOrganization(t.db, { [gus.id]: 'admin' })
    const answer = await post(
      gus,
      `/rbac/organizations/${fixture.org}/members/`,
      `user_id=&email=${encodeURIComponent(hal.email)}&role=viewer`,
    )
    expect(answer.statusCode).toBe(201)
    expect(answer.json()).toMatchObject({ user_id: hal.id, role: 'viewer' })
    // The form it came from: a select of the roles (an enum in the body's JSON Schema).
    const body = (await page(gus, `/rbac/organizations/${fixture.org}/members/`)).body
    expect(options(input(body, 'create-role'))).toEqual([
      '---------',
      'viewer',
      'editor',
      'admin',
      'owner',
    ])
    expect(input(body, 'create-email')).toMatch(/^<input type="email"/)
  })

  it('still refuses a blank required field with its own message', async () => {
    const survey = await post(gus, '/survey/api/surveys/', 'title=&description=&status=')
    expect(survey.statusCode).toBe(400)
    expect(survey.json()).toEqual({ title: ['This field may not be blank.'] })
    const loan = await post(gus, '/api/v1/borrowings/', 'what=&to_who=&when=&returned=')
    expect(loan.statusCode).toBe(400)
    expect(loan.json()).toEqual({
      what: ['This field may not be null.'],
      to_who: ['This field may not be null.'],
    })
  })

  it('keeps a JSON body as it is: a blank there is a value', async () => {
    const answer = await t.request({
      method: 'POST',
      url: '/survey/api/surveys/',
      token: gus.token,
      json: { title: 'JSON', status: '' },
    })
    expect(answer.statusCode).toBe(400)
    expect(answer.json()).toEqual({ status: ['"" is not a valid choice.'] })
  })
})

describe('the widgets of the forms', () => {
  it('offers choices and text areas on a survey', async () => {
    const body = (await page(gus, '/survey/api/surveys/')).body
    const status = input(body, 'create-status')
    expect(status).toMatch(/^<select/)
    expect(options(status)).toEqual(['---------', 'Draft', 'Published'])
    expect(input(body, 'create-description')).toMatch(/^<textarea/)
    expect(input(body, 'create-title')).toMatch(/^<input type="text" maxlength="200"/)
  })

  it("lists only the requester's own related objects, by name, and date inputs", async () => {
    await make(hal, '/api/v1/belongings/', { name: "Hal's boat" })
    const mine = await make(gus, '/api/v1/belongings/', { name: 'Tent' })
    const body = (await page(gus, '/api/v1/borrowings/')).body
    const what = input(body, 'create-what')
    expect(what).toMatch(/^<select[^>]*data-kind="related"/)
    expect(options(what)).toContain('Tent')
    expect(options(what)).not.toContain("Hal's boat")
    expect(what).toContain(`<option value="${mine}">Tent</option>`)
    expect(input(body, 'create-when')).toMatch(/^<input type="datetime-local"/)
  })

  it('cuts a long list of related objects off at 1000, as DRF', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => ({ owner_id: hal.id, name: `Thing ${i}` }))
    await t.db.insertInto('belongings').values(rows).execute()
    const what = input((await page(hal, '/api/v1/borrowings/')).body, 'create-what')
    const shown = options(what)
    expect(shown).toHaveLength(1 + 1000 + 1)
    expect(shown.at(-1)).toBe('More than 1000 items...')
    expect(what).toContain('<option value="n/a" disabled>More than 1000 items...</option>')
  })

  it('selects the current related object and shows the moment on an edit form', async () => {
    const what = await make(gus, '/api/v1/belongings/', { name: 'Canoe' })
    const toWho = await make(gus, '/api/v1/friends/', { name: 'Jo' })
    const id = await make(gus, '/api/v1/borrowings/', {
      what,
      to_who: toWho,
      when: '2026-01-02T03:04:05.123456Z',
    })
    const body = (await page(gus, `/api/v1/borrowings/${id}/`)).body
    expect(input(body, 'edit-what')).toContain(`<option value="${what}" selected>Canoe</option>`)
    const when = input(body, 'edit-when')
    expect(when).toContain('value="2026-01-02T03:04:05"')
    expect(when).toContain('data-value="2026-01-02T03:04:05.123456Z"')
  })

  it('hides what is typed in a password field', async () => {
    const body = (await page(gus, '/api/auth/users/')).body
    expect(input(body, 'create-password')).toMatch(/^<input type="password"/)
  })

  it('offers no form and no DELETE once the object is deleted', async () => {
    const id = await make(gus, '/survey/api/surveys/', { title: 'Short-lived' })
    const answer = await t.request({
      method: 'DELETE',
      url: `/survey/api/surveys/${id}/`,
      token: gus.token,
      headers: { accept: 'text/html' },
    })
    expect(answer.body).toContain('HTTP 204 No Content')
    expect(answer.body).not.toContain('value="DELETE"')
    expect(answer.body).not.toContain('Edit</h2>')
    expect(answer.body).not.toContain('<form class="api-form" data-kind="html"')
  })
})
