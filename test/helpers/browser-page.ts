import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { PASSWORD } from './test-app.ts'

/** Chromium's flags for the browser tests: no sandbox (containers), nothing fetched on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-sync',
]

/** A page, the console errors it logs and every request it makes outside the server's origin. */
export interface WatchedPage {
  page: Page
  consoleErrors: string[]
  foreign: string[]
}

/** A page that records console errors and every request that would leave `base`. */
export async function watchedPage(browser: Browser, base: string): Promise<WatchedPage> {
  const page = await browser.newPage()
  const consoleErrors: string[] = []
  const foreign: string[] = []
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (err) => consoleErrors.push(err.message))
  page.on('request', (r) => {
    if (!r.url().startsWith(`${base}/`) && !r.url().startsWith('data:')) foreign.push(r.url())
  })
  return { page, consoleErrors, foreign }
}

/** Register `username` through the API (djoser's users endpoint), with the tests' password. */
export async function register(base: string, username: string) {
  const answer = await fetch(`${base}/api/auth/users/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
  })
  expect(answer.status).toBe(201)
}

/** Log in through the browsable API's login page and land on `next`. */
export async function logIn(page: Page, base: string, username: string, next: string) {
  await page.goto(`${base}/api-auth/login/?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Username or email').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(`${base}${next}`)
}

/** The page's response panel. */
export const responsePanel = (page: Page) => page.getByRole('region', { name: 'Response' })

/** The JSON body shown in the page's response panel. */
export async function shownJson(page: Page): Promise<Record<string, unknown>> {
  const text = (await responsePanel(page).textContent()) ?? ''
  return JSON.parse(text.slice(text.indexOf('{')))
}
