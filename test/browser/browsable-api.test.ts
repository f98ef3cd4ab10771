import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, logIn, register, watchedPage } from '../helpers/browser-page.ts'
import { CHROMIUM } from '../helpers/chromium.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// The browsable API as a new user meets it in Chromium: register through the API, log in through
// the page, then create, read, edit and delete with the page's own forms.
let t: TestApp
let base: string
let browser: Browser

beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  })
  mkdirSync('test-results', { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

const response = (page: Page) => page.getByRole('region', { name: 'Response' })

/** The JSON body shown in the page's response panel. */
async function shownJson(page: Page): Promise<Record<string, unknown>> {
  const text = (await response(page).textContent()) ?? ''
  return JSON.parse(text.slice(text.indexOf('{')))
}

describe('the browsable API in Chromium', () => {
  it('creates, shows, edits and deletes a bucketlist with the forms', async () => {
    await register(base, 'walker')
    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await logIn(page, base, 'walker', '/bucketlists/')
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Bucketlist List')
    await expect.poll(() => response(page).textContent()).toContain('HTTP 200 OK')
    expect(await shownJson(page)).toMatchObject({ count: 0, results: [] })
    expect(await page.getByRole('link', { name: 'Log in' }).count()).toBe(0)
    await page.screenshot({ path: 'test-results/browsable-list.png', fullPage: true })

    // A blank name is refused, and the message sits next to the field.
    const create = page.getByRole('region', { name: 'Create' })
    await create.getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => response(page).textContent()).toContain('HTTP 400 Bad Request')
    const nameError = page.getByRole('region', { name: 'Create' }).locator('#create-name-errors')
    await expect.poll(() => nameError.textContent()).toBe('This field may not be blank.')
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true')
    await page.screenshot({ path: 'test-results/browsable-create-error.png', fullPage: true })

    await page.getByLabel('Name').fill('Walk the Camino')
    await page.getByRole('region', { name: 'Create' }).getByRole('button', { name: 'POST' }).click()
    await expect.poll(() => response(page).textContent()).toContain('HTTP 201 Created')
    const created = await shownJson(page)
    expect(created).toMatchObject({ name: 'Walk the Camino', owner: 'walker' })
    await page.screenshot({ path: 'test-results/browsable-created.png', fullPage: true })

    await page.goto(`${base}/bucketlists/${created.id}/`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bucketlist Instance')
    expect(await shownJson(page)).toMatchObject({ id: created.id, name: 'Walk the Camino' })
    const edit = page.getByRole('region', { name: 'Edit' })
    expect(await edit.getByLabel('Name').inputValue()).toBe('Walk the Camino')
    await edit.getByLabel('Name').fill('Walk the whole Camino')
    await edit.getByRole('button', { name: 'PUT' }).click()
    // The page before shows a 200 too: wait for this answer's body.
    await expect.poll(() => response(page).textContent()).toContain('Walk the whole Camino')
    expect(await response(page).textContent()).toContain('HTTP 200 OK')
    expect(await shownJson(page)).toMatchObject({ name: 'Walk the whole Camino' })
    await page.screenshot({ path: 'test-results/browsable-edited.png', fullPage: true })

    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'DELETE' }).click()
    await expect.poll(() => response(page).textContent()).toContain('HTTP 204 No Content')
    await page.screenshot({ path: 'test-results/browsable-deleted.png', fullPage: true })
    const gone = await t.request({ method: 'GET', url: `/bucketlists/${created.id}/` })
    expect(gone.statusCode).toBe(401)
    expect(await t.db.selectFrom('bucketlists').select('id').execute()).toEqual([])

    // The one console error is the browser's note on the 400 this test provoked on purpose.
    expect(consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
    expect(foreign).toEqual([])
    await page.close()
  })

  it("offers delete and edit on one's own survey only, and the login link after logout", async () => {
    await register(base, 'author')
    await register(base, 'reader')
    const survey = async (title: string, user: string) => {
      const login = await t.request({
        method: 'POST',
        url: '/api/auth/token/login/',
        json: { username: user, password: PASSWORD },
      })
      const token = (login.json() as { auth_token: string }).auth_token
      const answer = await t.request({
        method: 'POST',
        url: '/survey/api/surveys/',
        json: { title, status: 'published' },
        token,
      })
      expect(answer.statusCode).toBe(201)
      return (answer.json() as { id: number }).id
    }
    const theirs = await survey('Their survey', 'author')
    const mine = await survey('My survey', 'reader')

    const { page, consoleErrors, foreign } = await watchedPage(browser, base)
    await logIn(page, base, 'reader', `/survey/api/surveys/${theirs}/`)
    expect(await shownJson(page)).toMatchObject({ title: 'Their survey', creator: 'author' })
    expect(await page.getByRole('button', { name: 'DELETE' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Edit' }).count()).toBe(0)
    await page.screenshot({ path: 'test-results/browsable-their-survey.png', fullPage: true })

    await page.goto(`${base}/survey/api/surveys/${mine}/`)
    expect(await shownJson(page)).toMatchObject({ title: 'My survey', creator: 'reader' })
    expect(await page.getByRole('button', { name: 'DELETE' }).count()).toBe(1)
    const edit = page.getByRole('region', { name: 'Edit' })
    expect(await edit.getByLabel('Title').inputValue()).toBe('My survey')
    expect(await edit.getByLabel('Status').inputValue()).toBe('published')
    await page.screenshot({ path: 'test-results/browsable-my-survey.png', fullPage: true })

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${base}/api-auth/login/`)
    await page.goto(`${base}/survey/api/surveys/${theirs}/`)
    // Anonymous readers still see a published survey, with no forms and a way to log in.
    expect(await shownJson(page)).toMatchObject({ title: 'Their survey' })
    expect(await page.getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe(
      `/api-auth/login/?next=${encodeURIComponent(`/survey/api/surveys/${theirs}/`)}`,
    )
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'DELETE' }).count()).toBe(0)
    await page.screenshot({ path: 'test-results/browsable-logged-out.png', fullPage: true })
    expect(consoleErrors).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  })

  it('is readable on a phone', async () => {
    const { page, consoleErrors } = await watchedPage(browser, base)
    await page.setViewportSize({ width: 375, height: 740 })
    await page.goto(`${base}/survey/api/surveys/`)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBe(0)
    await page.screenshot({ path: 'test-results/browsable-phone.png', fullPage: true })
    expect(consoleErrors).toEqual([])
    await page.close()
  })
})
