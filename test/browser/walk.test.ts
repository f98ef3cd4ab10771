import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../helpers/browser-page.ts'
import { CHROMIUM } from '../helpers/chromium.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// Issue 20's walk, as a newcomer takes it in Chromium: from `/`, log in, create surveys with the
// HTML form and the raw JSON one, edit, delete, page by number, filter through the dialog, look
// at someone else's survey, then send a session POST from /docs. Every page is watched for
// console errors and for requests to another origin; screenshots go to test-results/.
let t: TestApp
let base: string
let browser: Browser
let page: Page
const consoleErrors: string[] = []
const foreign: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  })
  mkdirSync('test-results', { recursive: true })
  page = await browser.newPage()
  page.on(
    'console',
    (m) => m.type() === 'error' && consoleErrors.push(`${page.url()}: ${m.text()}`),
  )
  page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`))
  page.on('request', (r) => {
    const url = r.url()
    if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      foreign.push(url)
    }
  })
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

const response = (on: Page) => on.getByRole('region', { name: 'Response' })
const heading = (on: Page) => on.getByRole('heading', { level: 1 })
const shot = (name: string) =>
  page.screenshot({ path: `test-results/walk-${name}.png`, fullPage: true })

/** The JSON body shown in the page's response panel. */
async function shownJson(): Promise<Record<string, unknown>> {
  const text = (await response(page).textContent()) ?? ''
  return JSON.parse(text.slice(text.search(/[[{]/)))
}

async function shownStatus(status: string) {
  await expect.poll(() => response(page).textContent()).toContain(`HTTP ${status}`)
}

async function apiToken(username: string) {
  const registered = await fetch(`${base}/api/auth/users/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
  })
  expect(registered.status).toBe(201)
  const login = await t.request({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: { username, password: PASSWORD },
  })
  return (login.json() as { auth_token: string }).auth_token
}

async function surveyBy(token: string, title: string) {
  const answer = await t.request({
    method: 'POST',
    url: '/survey/api/surveys/',
    json: { title, status: 'published' },
    token,
  })
  expect(answer.statusCode).toBe(201)
  return (answer.json() as { id: number }).id
}

describe('the walk through the browsable API', () => {
  let otherToken: string

  it('starts at /, which lists every API root, the docs and the OpenAPI document', async () => {
    await apiToken('walker')
    otherToken = await apiToken('other')
    await page.goto(`${base}/`)
    expect(await heading(page).textContent()).toBe('Api Root')
    for (const path of ['/api/', '/api/v1/', '/survey/api/', '/rbac/', '/docs', '/openapi.json']) {
      expect(
        await response(page)
          .getByRole('link', { name: `${base}${path}`, exact: true })
          .count(),
      ).toBe(1)
    }
    expect(await page.getByRole('link', { name: 'Log in' }).count()).toBe(1)
    await shot('root-anonymous')
  })

  it('logs in from the root page and comes back to it', async () => {
    await page.getByRole('link', { name: 'Log in' }).click()
    await page.getByLabel('Username or email').fill('walker')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${base}/`)
    expect(await page.locator('.navbar .username').textContent()).toBe('walker')
    await shot('root')
    await page.getByRole('link', { name: `${base}/survey/api/`, exact: true }).click()
    await page.waitForURL(`${base}/survey/api/`)
    expect(await heading(page).textContent()).toBe('Api Root')
    await page.getByRole('link', { name: `${base}/survey/api/surveys/` }).click()
    await page.waitForURL(`${base}/survey/api/surveys/`)
    expect(await heading(page).textContent()).toBe('Survey List')
    const crumbs = await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent()
    expect(crumbs).toBe('Api RootSurvey List')
  })

  it('creates through raw JSON', async () => {
    const create = page.getByRole('region', { name: 'Create' })
    await create.getByText('Raw data').click()
    await create
      .getByLabel('Content')
      .fill(JSON.stringify({ title: 'Raw survey', status: 'published' }))
    await create.locator('form[data-kind=raw]').getByRole('button', { name: 'POST' }).click()
    await shownStatus('201 Created')
    expect(await shownJson()).toMatchObject({ title: 'Raw survey', creator: 'walker' })
    await shot('created-raw')
  })

  it('edits and deletes a survey with the forms', async () => {
    const { id } = await shownJson()
    await page.goto(`${base}/survey/api/surveys/${id}/`)
    expect(await heading(page).textContent()).toBe('Survey Instance')
    const edit = page.getByRole('region', { name: 'Edit' })
    await edit.getByLabel('Title').fill('Raw survey, edited')
    await edit.getByRole('button', { name: 'PUT' }).click()
    // The page before was a 200 too: wait for the answer to the PUT.
    await expect.poll(() => response(page).textContent()).toContain('Raw survey, edited')
    await shownStatus('200 OK')
    expect(await shownJson()).toMatchObject({ id, title: 'Raw survey, edited' })
    await shot('edited')
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'DELETE' }).click()
    await shownStatus('204 No Content')
    await shot('deleted')
    const gone = await t.request({ url: `/survey/api/surveys/${id}/`, token: otherToken })
    expect(gone.statusCode).toBe(404)
  })

  it('pages through a long list by its numbered links', async () => {
    for (let i = 1; i <= 45; i++) await surveyBy(otherToken, `Survey ${String(i).padStart(2, '0')}`)
    await page.goto(`${base}/survey/api/surveys/`)
    const pages = page.getByRole('navigation', { name: 'Pages' })
    expect(await pages.getByRole('link', { name: 'Page 1' }).getAttribute('aria-current')).toBe(
      'page',
    )
    await pages.getByRole('link', { name: 'Page 3' }).click()
    await page.waitForURL(`${base}/survey/api/surveys/?page=3`)
    const third = await shownJson()
    expect(third).toMatchObject({ count: 45, next: null })
    expect((third.results as { title: string }[]).map((s) => s.title)).toEqual([
      'Survey 41',
      'Survey 42',
      'Survey 43',
      'Survey 44',
      'Survey 45',
    ])
    await shot('page-3')
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: /Previous/ })
      .click()
    await page.waitForURL(`${base}/survey/api/surveys/?page=2`)
    expect((await shownJson()).previous).toBe(`${base}/survey/api/surveys/`)
  })

  it('filters through the Filters dialog', async () => {
    await page.getByRole('button', { name: 'Filters' }).click()
    const dialog = page.getByRole('dialog', { name: 'Filters' })
    await dialog.getByLabel('Search').fill('Survey 4')
    await dialog.getByLabel('Ordering').selectOption('-title')
    await shot('filters-dialog')
    await dialog.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(`${base}/survey/api/surveys/?search=Survey+4&ordering=-title`)
    const filtered = await shownJson()
    expect(filtered.count).toBe(10)
    expect((filtered.results as { title: string }[])[0].title).toBe('Survey 45')
    // "survey" and "4" both in the title: 04, 14, 24, 34 and 40 to 45.
    // The dialog shows the filters in use.
    await page.getByRole('button', { name: 'Filters' }).click()
    expect(
      await page.getByRole('dialog', { name: 'Filters' }).getByLabel('Search').inputValue(),
    ).toBe('Survey 4')
    await page
      .getByRole('dialog', { name: 'Filters' })
      .getByRole('button', { name: 'Cancel' })
      .click()
    await shot('filtered')
  })

  it("shows another user's survey with no form to change it", async () => {
    const theirs = await surveyBy(otherToken, 'Not yours')
    await page.goto(`${base}/survey/api/surveys/${theirs}/`)
    expect(await shownJson()).toMatchObject({ title: 'Not yours', creator: 'other' })
    expect(await page.getByRole('button', { name: 'DELETE' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Edit' }).count()).toBe(0)
    await shot('their-survey')
  })

  it('sends a session POST from /docs, the CSRF token along', async () => {
    await page.goto(`${base}/docs`)
    await page.getByText('Portcullis reference server').first().waitFor({ timeout: 50_000 })
    // The page's own fetch, as Scalar's "Test Request" sends it: the session cookie, no header.
    const answer = await page.evaluate(async () => {
      const res = await fetch('/survey/api/surveys/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'From the docs', status: 'published' }),
      })
      return { status: res.status, body: await res.json() }
    })
    expect(answer).toMatchObject({
      status: 201,
      body: { title: 'From the docs', creator: 'walker' },
    })
    await shot('docs')
    // Scalar's bundle is 4 MB: its first render is slow on a loaded machine.
  }, 60_000)

  it("logs out with the page's POST form", async () => {
    await page.goto(`${base}/`)
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${base}/api-auth/login/`)
    await page.goto(`${base}/`)
    expect(await page.getByRole('link', { name: 'Log in' }).count()).toBe(1)
  })

  it('logged no console error and sent nothing to another origin', () => {
    expect(consoleErrors).toEqual([])
    expect(foreign).toEqual([])
  })

  // Passes with the forms' blank-field handling (issue 20's other half): a blank optional
  // choice is left out of the body, as DRF treats a blank optional HTML field.
  it('creates with the HTML form, every optional field left blank', async () => {
    await page.goto(`${base}/api-auth/login/?next=${encodeURIComponent('/survey/api/surveys/')}`)
    await page.getByLabel('Username or email').fill('walker')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${base}/survey/api/surveys/`)
    const create = page.getByRole('region', { name: 'Create' })
    await create.getByLabel('Title').fill('Blank status')
    await create.locator('form[data-kind=html]').getByRole('button', { name: 'POST' }).click()
    await shownStatus('201 Created')
    expect(await shownJson()).toMatchObject({ title: 'Blank status', status: 'draft' })
    await shot('created-html')
  })
})
