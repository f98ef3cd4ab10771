import { createHash } from 'node:crypto'
import Fastify from 'fastify'

/** The API reference page and the script it loads, both served by this server. */
export interface DocsPage {
  html: string
  script: string
  /** The Content-Security-Policy of the page: its own origin only, and its one inline script. */
  csp: string
}

/** Where the page finds what it needs, all on this server. */
export interface DocsPaths {
  /** The OpenAPI document's URL. */
  document: string
  /** The URL the page loads Scalar's script from. */
  script: string
  /** The URL of the script that sends the user's CSRF token with the page's test requests. */
  csrfScript: string
}

// Everything that would reach another origin is off: web fonts, telemetry, the AI agent, MCP;
// "try it" sends requests straight to the server (no proxy), as the page shares its origin.
const CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never' as const,
  hideClientButton: false,
  persistAuth: false,
}

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g

function sha256(text: string) {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`
}

/**
 * Render Scalar's API reference page (and get its bundled script) with Scalar's own Fastify
 * plugin, on a private server that never listens: the plugin serves the script from
 * node_modules, never a CDN, and the page is then served by our routes with our access rules.
 */
export async function renderDocsPage(paths: DocsPaths, title: string): Promise<DocsPage> {
  const { default: scalar } = await import('@scalar/fastify-api-reference')
  const scratch = Fastify({ logger: false })
  try {
    await scratch.register(scalar, {
      routePrefix: '/reference',
      configuration: { ...CONFIGURATION, url: paths.document, cdn: paths.script, pageTitle: title },
    })
    const page = await scratch.inject('/reference/')
    const script = await scratch.inject('/reference/js/scalar.js')
    if (page.statusCode !== 200 || script.statusCode !== 200) {
      throw new Error(
        `Scalar's page could not be rendered (${page.statusCode}, ${script.statusCode})`,
      )
    }
    const inline = [...page.body.matchAll(INLINE_SCRIPT)].map((m) => sha256(m[1]))
    const csp = [
      "default-src 'self'",
      `script-src 'self' ${inline.join(' ')}`,
      // Scalar injects its stylesheet and themes as <style> elements at run time.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "object-src 'none'",
    ].join('; ')
    // Before Scalar's script, so that every request Scalar sends goes through it.
    const html = page.body.replace(
      `<script src="${paths.script}">`,
      `<script src="${paths.csrfScript}"></script>\n    <script src="${paths.script}">`,
    )
    return { html, script: script.body, csp }
  } finally {
    await scratch.close()
  }
}
