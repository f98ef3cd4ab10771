import { STATUS_CODES } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { csrfToken } from '../../auth/csrf.ts'
import type { View } from '../../resources/view.ts'
import { titleWords, viewName } from '../../resources/view-name.ts'
import type { Method, RouteEntry, RouteTable } from '../../route-table.ts'
import { formFields } from './form-fields.ts'
import { jsonView } from './json-view.ts'
import { offeredMethods } from './offered-methods.ts'
import type { PageForm, PageModel } from './page.ts'

/** Where the page links for logging in and out, and its assets. */
export interface PageSettings {
  /** The name in every page's header (DRF's `branding` block). */
  siteName: string
  loginUrl: string
  logoutUrl: string
  assets: { css: string; js: string }
}

const SHOWN_HEADERS = ['location', 'www-authenticate', 'retry-after']

// A path with no view (an unknown URL) is named after itself.
function titleOf(view: View | undefined, path: string): string {
  return view ? viewName(view) : titleWords(path) || 'Api Root'
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload)
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function errorsOf(data: unknown): { fields: Record<string, string[]>; form: string[] } {
  const fields: Record<string, string[]> = {}
  const form: string[] = []
  if (!isRecord(data)) return { fields, form }
  for (const [key, value] of Object.entries(data)) {
    const messages = (Array.isArray(value) ? value : [value]).map((v) =>
      typeof v === 'string' ? v : JSON.stringify(v),
    )
    if (key === 'non_field_errors' || key === 'detail') form.push(...messages)
    else fields[key] = messages
  }
  return { fields, form }
}

function breadcrumbs(table: RouteTable, path: string) {
  const crumbs: { name: string; href: string }[] = []
  const segments = path.split('/').filter(Boolean)
  for (let i = 0; i <= segments.length; i++) {
    const href = `/${segments.slice(0, i).join('/')}${i ? '/' : ''}`
    const match = table.find('GET', href)
    if (match) crumbs.push({ name: titleOf(match.entry.access.view, href), href })
  }
  return crumbs
}

/** What the browsable page shows for this answer: the response, and the forms this user may use. */
export async function pageModel(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: string,
  settings: PageSettings,
): Promise<PageModel> {
  const table = request.server.routeTable
  const url = request.url
  const path = url.split('?')[0] ?? url
  const methods = table.methods(path)
  const status = reply.statusCode
  const data = payload ? parse(payload) : undefined
  const headers: [string, string][] = []
  if (methods.length) headers.push(['Allow', table.allowHeader(path)])
  if (payload) headers.push(['Content-Type', 'application/json'])
  headers.push(['Vary', 'Accept'])
  for (const name of SHOWN_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers.push([titleWords(name).replaceAll(' ', '-'), String(value)])
  }
  const sent = isRecord(request.body) ? request.body : {}
  const failed = status === 400 ? errorsOf(data) : { fields: {}, form: [] }
  const formFor = async (
    offered: Method[],
    values: Record<string, unknown>,
    entry: RouteEntry | undefined,
  ) => {
    if (!offered.length || !entry?.body) return null
    const mine = offered.includes(request.method as Method) && status === 400
    const form: PageForm = {
      methods: offered,
      fields: await formFields(entry, request),
      values: mine ? sent : values,
      errors: mine ? failed.fields : {},
      formErrors: mine ? failed.form : [],
    }
    return form
  }

  const view = request.access?.view ?? table.find('GET', path)?.entry.access.view
  const offered = await offeredMethods(request, table, path, ['POST', 'PUT', 'PATCH', 'DELETE'])
  const has = (m: Method) => offered.find((o) => o.method === m)
  // A detail path whose object did not load (404, 403) offers nothing to edit or delete.
  const detail = offered.find((o) => o.method !== 'POST' && Object.keys(o.match.params).length)
  const objectGone = detail !== undefined && request.checkedObject === null && status >= 400
  // A deleted object has nothing left to edit or delete (DRF shows the 204 with no forms).
  const deleted = request.method === 'DELETE' && status < 300
  const post = deleted ? undefined : has('POST')
  const editMethods =
    objectGone || deleted
      ? []
      : offered.filter((o) => o.method === 'PUT' || o.method === 'PATCH').map((o) => o.method)
  const editEntry = (has('PUT') ?? has('PATCH'))?.match.entry
  const current = request.method !== 'POST' && status < 300 && isRecord(data) ? data : {}
  const pages =
    isRecord(data) && 'next' in data && 'previous' in data
      ? {
          next: typeof data.next === 'string' ? data.next : null,
          previous: typeof data.previous === 'string' ? data.previous : null,
        }
      : null

  return {
    title: titleOf(view, path),
    description:
      table.find('GET', path)?.entry.summary ?? request.routeOptions.config?.summary ?? '',
    method: request.method,
    url,
    path,
    status: `${status} ${STATUS_CODES[status] ?? ''}`.trim(),
    headers,
    body: payload ? jsonView(payload) : null,
    username: request.user?.username ?? null,
    siteName: settings.siteName,
    loginUrl: settings.loginUrl,
    logoutUrl: settings.logoutUrl,
    csrfToken: csrfToken(request, reply),
    breadcrumbs: breadcrumbs(table, path),
    create: post ? await formFor(['POST'], {}, post.match.entry) : null,
    edit: await formFor(editMethods, current, editEntry),
    canDelete: !objectGone && !deleted && has('DELETE') !== undefined,
    pages,
    assets: settings.assets,
  }
}
