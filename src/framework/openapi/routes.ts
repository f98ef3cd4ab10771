import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requireInstalled } from '../optional-package.ts'
import { AllowAny } from '../permissions/allow-any.ts'
import { DOCS_CSRF_SCRIPT } from './docs-csrf-script.ts'
import { type DocsPage, renderDocsPage } from './docs-page.ts'
import type { OpenApi } from './install.ts'

/** Where the OpenAPI document is served. */
export const OPENAPI_URL = '/openapi.json'
/** Where the API reference page is served. */
export const DOCS_URL = '/docs'
/** Where the page's script (Scalar's bundle, from node_modules) is served. */
export const DOCS_SCRIPT_URL = '/docs/scalar.js'
/** Where the page's script that sends the CSRF token with test requests is served. */
export const DOCS_CSRF_SCRIPT_URL = '/docs/csrf.js'

// Public: reading the description of the API needs no account, and is never throttled.
const open = (action: string) => ({
  authentication: [],
  permissions: [AllowAny],
  throttles: [],
  view: { name: 'docs', action },
})

/** What `openApiRoutes` serves besides the document. */
export interface OpenApiRoutesOptions {
  /** The API reference page, which needs the optional "@scalar/fastify-api-reference" (default: true). */
  docs?: boolean
}

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (Scalar's API reference over it,
 * its script served from node_modules by `GET /docs/scalar.js`). Register after every other route.
 */
export function openApiRoutes(
  app: FastifyInstance,
  openapi: OpenApi,
  options: OpenApiRoutesOptions = {},
) {
  const docs = options.docs ?? true
  // Checked now, so a server that asks for the page without Scalar stops at start.
  if (docs) requireInstalled('@scalar/fastify-api-reference')
  let rendered: Promise<DocsPage> | undefined
  // Rendered on first use: servers that never show the page never load Scalar's 4 MB bundle.
  const docsPage = () => {
    if (!rendered) {
      const paths = {
        document: OPENAPI_URL,
        script: DOCS_SCRIPT_URL,
        csrfScript: DOCS_CSRF_SCRIPT_URL,
      }
      rendered = renderDocsPage(paths, openapi.info.title)
      // A failure is not kept: the next request tries again.
      rendered.catch(() => {
        rendered = undefined
      })
    }
    return rendered
  }

  app.get(
    OPENAPI_URL,
    {
      config: {
        ...open('schema'),
        // A `.json` URL answers JSON, even to a browser that asks for HTML.
        browsable: false,
        summary: 'This OpenAPI 3.1 document',
        responses: { 200: Type.Object({}, { description: 'An OpenAPI 3.1 document.' }) },
      },
    },
    () => openapi.document(),
  )
  if (!docs) return
  // The page and its script are no API answers: not described, never rendered as the browsable page.
  const page = { openapi: false, browsable: false }
  app.get(DOCS_URL, { config: { ...open('page'), ...page } }, async (_request, reply) => {
    const { html, csp } = await docsPage()
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', csp)
      .header('cache-control', 'no-cache')
      .send(html)
  })
  app.get(
    DOCS_CSRF_SCRIPT_URL,
    { config: { ...open('csrf-script'), ...page } },
    (_request, reply) =>
      reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(DOCS_CSRF_SCRIPT),
  )
  app.get(DOCS_SCRIPT_URL, { config: { ...open('script'), ...page } }, async (_request, reply) => {
    const { script } = await docsPage()
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(script)
  })
}
