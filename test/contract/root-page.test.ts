import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// The reference server's `/`: where a newcomer finds every API root, the docs and the document.
let t: TestApp
let alice: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
})
afterAll(() => t?.close())

const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

describe('GET /', () => {
  it('links every API root, the reference page and the OpenAPI document, to anyone', async () => {
    const root = await t.request({ url: '/' })
    expect(root.statusCode).toBe(200)
    expect(root.json()).toEqual({
      rbac: 'http://localhost/rbac/',
      'api/v1': 'http://localhost/api/v1/',
      'survey/api': 'http://localhost/survey/api/',
      api: 'http://localhost/api/',
      docs: 'http://localhost/docs',
      openapi: 'http://localhost/openapi.json',
    })
  })

  it('answers OPTIONS as every view does, and 405 to other methods', async () => {
    const options = await t.request({ method: 'OPTIONS', url: '/' })
    expect(options.statusCode).toBe(200)
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(options.json()).toMatchObject({ name: 'Api Root', description: '' })
    const post = await t.request({ method: 'POST', url: '/', json: {}, token: alice.token })
    expect(post.statusCode).toBe(405)
  })

  it('is the browsable page "Api Root" with the user logged in', async () => {
    const page = await t.request({ url: '/', headers: { accept: html }, token: alice.token })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<title>Api Root – Portcullis</title>')
    expect(page.body).toContain('<a href="http://localhost/docs" rel="nofollow">')
    expect(page.body).toContain('<span class="username">alice</span>')
  })
})

describe('API roots', () => {
  it('titles a router root "Api Root", as DRF, in the title and the breadcrumbs', async () => {
    const page = await t.request({ url: '/api/v1/', headers: { accept: html }, token: alice.token })
    expect(page.body).toContain('<title>Api Root – Portcullis</title>')
    expect(page.body).toContain('<a href="/api/v1/" aria-current="page">Api Root</a>')
    expect(page.body).not.toContain('Api Root List')
  })

  it('serves /rbac/ with a link to its organizations', async () => {
    const root = await t.request({ url: '/rbac/', token: alice.token })
    expect(root.statusCode).toBe(200)
    expect(root.json()).toEqual({ organizations: 'http://localhost/rbac/organizations/' })
  })
})

describe('the 404 page', () => {
  it('offers "Log in" to an anonymous user', async () => {
    const page = await t.request({ url: '/nowhere/', headers: { accept: html } })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('>Log in</a>')
  })

  it('shows a logged-in user their name and "Log out" instead', async () => {
    const page = await t.request({
      url: '/nowhere/',
      headers: { accept: html },
      token: alice.token,
    })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('<span class="username">alice</span>')
    expect(page.body).toContain('<button type="submit">Log out</button>')
    expect(page.body).not.toContain('>Log in</a>')
  })
})
