import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../helpers/browser-page.ts'
import { CHROMIUM } from '../helpers/chromium.ts'
import { createTestApp, type TestApp } from '../helpers/test-app.ts'

// The API reference page renders the server's own OpenAPI document with nothing from elsewhere.
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

describe('/docs in Chromium', () => {
  it('shows every tag of the document, loads nothing from another origin, logs no error', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    const foreign: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (err) => errors.push(err.message))
    page.on('request', (r) => {
      const url = r.url()
      if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        foreign.push(url)
      }
    })
    await page.goto(`${base}/docs`)
    await page.getByText('Portcullis reference server').first().waitFor({ timeout: 20_000 })
    // The JSON answer, even though a browser asks for HTML.
    const document = await page.evaluate(async () => {
      const res = await fetch('/openapi.json', { headers: { accept: 'text/html,*/*;q=0.8' } })
      return { type: res.headers.get('content-type'), body: await res.json() }
    })
    expect(document.type).toMatch(/^application\/json/)
    expect(document.body.openapi).toMatch(/^3\.1\./)
    // The sidebar lists the document's tags (one per view).
    for (const tag of ['health', 'bucketlist', 'survey']) {
      await page.getByText(tag, { exact: true }).first().waitFor({ timeout: 20_000 })
    }
    await page.screenshot({ path: 'test-results/docs.png' })
    expect(errors).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  })
})
