import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM_ARGS,
  logIn,
  register,
  responsePanel,
  shownJson,
  watchedPage,
} from '../helpers/browser-page.ts'
import { CHROMIUM } from '../helpers/chromium.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// The browsable API's forms as a user fills them in Chromium: selects for choices and related
// objects, blank optional fields left out, a raw body that does not parse, the page after a delete.
let t: TestApp
let base: string
let browser: Browser

beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  mkdirSync('test-results', { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

// A 400 the test provokes on purpose: the browser notes it on the console.
const BAD_REQUEST =
  'Failed to load resource: the server responded with a status of 400 (Bad Request)'

async function tokenOf(username: string) {
  const login = await t.request({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: { username, password: PASSWORD },
  })
  return (login.json() as { auth_token: string }).auth_token
}

async function make(token: string, url: string, json: unknown): Promise<number> {
  const answer = await t.request({ method: 'POST', url, json, token })
  expect(answer.statusCode).toBe(201)
  return (answer.json() as { id: number }).id
}

const optionTexts = (page: Page, label: string) =>
  page.getByRole('region', { name: 'Create' }).getByLabel(label).locator('option').allTextContents()

describe('the browsable API forms in Chromium', () => {
  it('creates a survey with every optional field blank, then with a status chosen', async () => {
    await register(base, 'pollster')
    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await logIn(page, base, 'pollster', '/survey/api/surveys/')
    const create = page.getByRole('region', { name: 'Create' })
    expect(await create.getByLabel('Status').evaluate((e) => e.tagName)).toBe('SELECT')
    expect(await optionTexts(page, 'Status')).toEqual(['---------', 'Draft', 'Published'])
    expect(await create.getByLabel('Description').evaluate((e) => e.tagName)).toBe('TEXTAREA')

    await create.getByLabel('Title').fill('Blank all the rest')
    await create.getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 201 Created')
    expect(await shownJson(page)).toMatchObject({
      title: 'Blank all the rest',
      description: '',
      status: 'draft',
    })
    await page.screenshot({ path: 'test-results/forms-survey-blank.png', fullPage: true })

    const again = page.getByRole('region', { name: 'Create' })
    await again.getByLabel('Title').fill('Out in the open')
    await again.getByLabel('Status').selectOption({ label: 'Published' })
    await again.getByRole('button', { name: 'POST' }).click()
    // The page before still shows its own 201: wait for this answer's body.
    await expect.poll(() => responsePanel(page).textContent()).toContain('Out in the open')
    expect(await responsePanel(page).textContent()).toContain('HTTP 201 Created')
    expect(await shownJson(page)).toMatchObject({ title: 'Out in the open', status: 'published' })

    // A required field left blank still says so, next to the field.
    await page.getByRole('region', { name: 'Create' }).getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 400 Bad Request')
    expect(await page.locator('#create-title-errors').textContent()).toBe(
      'This field may not be blank.',
    )
    expect(consoleErrors).toEqual([BAD_REQUEST])
    expect(foreign).toEqual([])
    await page.close()
  })

  it("lends from selects of one's own belongings and friends, leaving the dates blank", async () => {
    await register(base, 'lender')
    await register(base, 'stranger')
    const mine = await tokenOf('lender')
    const theirs = await tokenOf('stranger')
    const bike = await make(mine, '/api/v1/belongings/', { name: 'Bike' })
    const ann = await make(mine, '/api/v1/friends/', { name: 'Ann' })
    await make(theirs, '/api/v1/belongings/', { name: "Stranger's car" })
    await make(theirs, '/api/v1/friends/', { name: "Stranger's friend" })

    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await logIn(page, base, 'lender', '/api/v1/borrowings/')
    // Only the lender's own rows are offered: the field's scope decides the options.
    expect(await optionTexts(page, 'What')).toEqual(['---------', 'Bike'])
    expect(await optionTexts(page, 'To who')).toEqual(['---------', 'Ann'])
    const create = page.getByRole('region', { name: 'Create' })
    expect(await create.getByLabel('When').getAttribute('type')).toBe('datetime-local')
    await create.getByLabel('What').selectOption({ label: 'Bike' })
    await create.getByLabel('To who').selectOption({ label: 'Ann' })
    const before = Date.now()
    await create.getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 201 Created')
    const loan = await shownJson(page)
    expect(loan).toMatchObject({ what: bike, to_who: ann, returned: null })
    // A loan with no `when` is made now.
    expect(Math.abs(Date.parse(String(loan.when)) - before)).toBeLessThan(60_000)
    await page.screenshot({ path: 'test-results/forms-borrowing-created.png', fullPage: true })

    await page.goto(`${base}/api/v1/borrowings/${loan.id}/`)
    const edit = page.getByRole('region', { name: 'Edit' })
    expect(await edit.getByLabel('What').inputValue()).toBe(String(bike))
    expect(await edit.getByLabel('When').inputValue()).toBe(String(loan.when).slice(0, 19))
    await edit.getByLabel('Returned').fill('2026-12-01T10:30')
    await edit.getByRole('button', { name: 'PUT' }).click()
    // The page before shows a 200 too: wait for this answer's body.
    await expect.poll(() => responsePanel(page).textContent()).toContain('2026-12-01T10:30')
    expect(await responsePanel(page).textContent()).toContain('HTTP 200 OK')
    const returned = await shownJson(page)
    expect(String(returned.returned)).toMatch(/^2026-12-01T10:30:00(\.0+)?Z$/)
    expect(returned.when).toBe(loan.when)
    await page.screenshot({ path: 'test-results/forms-borrowing-edited.png', fullPage: true })

    // After the delete, the page shows the 204 and offers nothing more to do to the loan.
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'DELETE' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 204 No Content')
    expect(await page.getByRole('button', { name: 'DELETE' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Edit' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Create' }).count()).toBe(0)
    await page.screenshot({ path: 'test-results/forms-after-delete.png', fullPage: true })
    expect(consoleErrors).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  })

  it('keeps a raw body that does not parse, open, with its error beside it', async () => {
    await register(base, 'rawwriter')
    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await logIn(page, base, 'rawwriter', '/survey/api/surveys/')
    const typed = '{"title": "Half a body",'
    const create = page.getByRole('region', { name: 'Create' })
    await create.getByText('Raw data').click()
    await create.getByLabel('Content').fill(typed)
    await create.locator('form[data-kind="raw"]').getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 400 Bad Request')

    const raw = page.getByRole('region', { name: 'Create' }).locator('details.raw-data')
    expect(await raw.getAttribute('open')).not.toBeNull()
    expect(await raw.getByLabel('Content').inputValue()).toBe(typed)
    expect(await raw.locator('.form-errors').textContent()).toContain('JSON parse error')
    // The HTML form above carries no error of a body it did not send.
    const htmlForm = page.getByRole('region', { name: 'Create' }).locator('form[data-kind="html"]')
    expect(await htmlForm.locator('.form-errors').count()).toBe(0)
    await page.screenshot({ path: 'test-results/forms-raw-error.png', fullPage: true })

    // Mended in place, the same panel sends it.
    await raw.getByLabel('Content').fill('{"title": "A whole body"}')
    await raw.getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => responsePanel(page).textContent()).toContain('HTTP 201 Created')
    expect(await shownJson(page)).toMatchObject({ title: 'A whole body', status: 'draft' })
    expect(consoleErrors).toEqual([BAD_REQUEST])
    expect(foreign).toEqual([])
    await page.close()
  })

  it('wraps JSON at its spaces on a phone, breaking only a token too long for a line', async () => {
    await register(base, 'phoneuser')
    const token = await tokenOf('phoneuser')
    const words = 'a description long enough to wrap on a narrow screen several times over'
    const long = `https://example.com/${'segment/'.repeat(12)}end`
    const id = await make(token, '/survey/api/surveys/', {
      title: 'Phone',
      description: `${words} ${long}`,
    })
    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await page.setViewportSize({ width: 375, height: 740 })
    await logIn(page, base, 'phoneuser', `/survey/api/surveys/${id}/`)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBe(0)
    // Every short token sits on one line: keys and words are never cut in two.
    const cut = await page.evaluate(() => {
      const pre = document.querySelector('.response pre') as HTMLElement
      const node = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT)
      const broken: string[] = []
      for (let n = node.nextNode(); n; n = node.nextNode()) {
        for (const match of (n.textContent ?? '').matchAll(/(?<!\S)\S{1,20}(?!\S)/g)) {
          const range = document.createRange()
          range.setStart(n, match.index)
          range.setEnd(n, match.index + match[0].length)
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)))
          if (tops.size > 1) broken.push(match[0])
        }
      }
      return broken
    })
    expect(cut).toEqual([])
    await page.screenshot({ path: 'test-results/forms-phone-json.png', fullPage: true })

    // A link too long for a line (the next page's) breaks between its path's segments.
    for (let i = 0; i < 20; i++) await make(token, '/survey/api/surveys/', { title: `S${i}` })
    await page.goto(`${base}/survey/api/surveys/`)
    const link = page.locator('.response pre a').first()
    expect(await link.textContent()).toMatch(/\?page=2$/)
    const segmentsCut = await link.evaluate((a) => {
      const broken: string[] = []
      const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT)
      let lines = 0
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange()
        range.selectNodeContents(n)
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)))
        if (tops.size > 1) broken.push(n.textContent ?? '')
      }
      const all = document.createRange()
      all.selectNodeContents(a)
      lines = new Set([...all.getClientRects()].map((r) => Math.round(r.top))).size
      return { broken, lines }
    })
    expect(segmentsCut.broken).toEqual([])
    expect(segmentsCut.lines).toBeGreaterThan(1)
    await page.screenshot({ path: 'test-results/forms-phone-links.png', fullPage: true })
    expect(consoleErrors).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  })
})
