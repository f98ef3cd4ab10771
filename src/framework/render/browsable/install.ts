import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AllowAny } from '../../permissions/allow-any.ts'
import { formatOf } from '../negotiation.ts'
import { browsablePage } from './page.ts'
import { type PageSettings, pageModel } from './page-model.ts'

/** Where the browsable API sends users to log in and out (DRF's `rest_framework` URLs). */
export interface BrowsableOptions {
  /** The name in every page's header (default: "Portcullis REST API"). */
  siteName?: string
  loginUrl?: string
  logoutUrl?: string
}

const STATIC_PREFIX = '/static/portcullis/'

function asset(name: string, type: string) {
  const content = readFileSync(new URL(`./static/${name}`, import.meta.url))
  const version = createHash('sha256').update(content).digest('hex').slice(0, 12)
  return { name, type, content, url: `${STATIC_PREFIX}${name}?v=${version}` }
}

const css = asset('api.css', 'text/css; charset=utf-8')
const js = asset('api.js', 'text/javascript; charset=utf-8')

function isJson(reply: FastifyReply) {
  const type = reply.getHeader('content-type')
  return typeof type === 'string' && type.startsWith('application/json')
}

async function render(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  settings: PageSettings,
) {
  const empty = reply.statusCode === 204
  if (!(empty || (typeof payload === 'string' && isJson(reply)))) return payload
  if (request.routeOptions.config?.browsable === false) return payload
  const page = browsablePage(
    await pageModel(request, reply, empty ? '' : String(payload), settings),
  )
  // A 204 carries no body: the page says 204 but is sent as 200, as DRF's renderer does.
  if (empty) reply.code(200)
  // A Basic challenge would open the browser's password prompt over the page's login link.
  reply.removeHeader('www-authenticate')
  reply.type('text/html; charset=utf-8')
  return page
}

/**
 * Render answers as the browsable API's HTML page when the client negotiated it (`Accept:
 * text/html`, `?format=api`), and serve the page's stylesheet and script.
 */
export function installBrowsableApi(app: FastifyInstance, options: BrowsableOptions = {}) {
  const settings: PageSettings = {
    siteName: options.siteName ?? 'Portcullis REST API',
    loginUrl: options.loginUrl ?? '/api-auth/login/',
    logoutUrl: options.logoutUrl ?? '/api-auth/logout/',
    assets: { css: css.url, js: js.url },
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    // Most answers are JSON: decided by one comparison, no promise.
    if (request.format === 'json' || formatOf(request) !== 'html') return done(null, payload)
    render(request, reply, payload, settings).then(
      (page) => done(null, page),
      (err: Error) => done(err),
    )
  })
}

/** The page's stylesheet and script, cached for good (their URLs carry a content hash). */
export function browsableAssetRoutes(app: FastifyInstance) {
  for (const file of [css, js]) {
    app.get(
      `${STATIC_PREFIX}${file.name}`,
      {
        config: {
          authentication: [],
          permissions: [AllowAny],
          throttles: [],
          browsable: false,
          view: { name: 'static', action: 'retrieve' },
        },
      },
      (_request, reply) =>
        reply
          .type(file.type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(file.content),
    )
  }
}
