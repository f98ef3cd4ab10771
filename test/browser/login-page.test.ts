import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM } from '../helpers/chromium.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// The login page in a real browser: log in through the form, use the API with the session and
// the CSRF token from the cookie (as a page's script would), log out.
let t: TestApp
let base: string
let browser: Browser

beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  mkdirSync('test-results', { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

describe('the login page in Chromium', () => {
  it('logs in, calls the API with the session and CSRF token, and logs out', async () => {
    const registered = await fetch(`${base}/api/auth/users/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'walker', email: 'walker@example.com', password: PASSWORD }),
    })
    expect(registered.status).toBe(201)

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${base}/auth/login/?next=/bucketlists/`)
    await page.getByLabel('Username or email').fill('walker@example.com')
    await page.getByLabel('Password').fill('wrong password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Please enter a correct username and password')
    await page.screenshot({ path: 'test-results/login-error.png' })

    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${base}/bucketlists/`)
    // A browser asks for HTML: the list comes as the browsable API's page.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bucketlist List')
    expect(await page.getByRole('region', { name: 'Response' }).textContent()).toContain(
      '"count": 0',
    )

    // What a page's script does: read csrftoken (not HttpOnly), send it back in X-CSRFToken.
    const created = await page.evaluate(async () => {
      const csrf = document.cookie.match(/csrftoken=([^;]+)/)?.[1] ?? ''
      const sessionVisible = document.cookie.includes('sessionid')
      const res = await fetch('/bucketlists/', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
        body: JSON.stringify({ name: 'Walk the Camino' }),
      })
      const without = await fetch('/bucketlists/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'No token' }),
      })
      return { status: res.status, body: await res.json(), without: without.status, sessionVisible }
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'Walk the Camino', owner: 'walker' })
    expect(created.without).toBe(403)
    expect(created.sessionVisible).toBe(false)
    await page.goto(`${base}/bucketlists/`)
    await page.screenshot({ path: 'test-results/logged-in.png' })

    await page.goto(`${base}/auth/logout/`)
    await page.waitForURL(`${base}/auth/login/`)
    await page.screenshot({ path: 'test-results/logged-out.png' })
    // Through the page's cookie jar (a fetch in the page would open the Basic-auth prompt).
    const after = await page.request.get(`${base}/bucketlists/`)
    expect(after.status()).toBe(401)
    // The only console error is the 403 this test provoked on purpose.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ])
  })
})
