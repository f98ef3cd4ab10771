import type { PageNumberLink } from '../../resources/paginators/page-links.ts'
import type { Method } from '../../route-table.ts'
import { type FiltersForm, filtersDialog } from './filters-dialog.ts'
import { type FormField, rawContent, renderField } from './form-fields.ts'
import { html, type Raw, raw } from './html.ts'

/** A form the page offers: the methods it submits with and what it starts filled with. */
export interface PageForm {
  methods: Method[]
  fields: FormField[]
  values: Record<string, unknown>
  errors: Record<string, string[]>
  /** Errors not tied to a field (non_field_errors, detail). */
  formErrors: string[]
}

/** Everything the browsable page shows. */
export interface PageModel {
  title: string
  description: string
  method: string
  url: string
  path: string
  status: string
  headers: [string, string][]
  /** The response body as highlighted HTML, or null for an empty answer. */
  body: string | null
  username: string | null
  siteName: string
  loginUrl: string
  logoutUrl: string
  csrfToken: string
  breadcrumbs: { name: string; href: string }[]
  create: PageForm | null
  edit: PageForm | null
  canDelete: boolean
  /** The list's page links: previous and next, with numbered ones for numbered pages. */
  pages: { next: string | null; previous: string | null; numbers: PageNumberLink[] } | null
  assets: { css: string; js: string }
  /** The list's Filters dialog, when its view filters, searches or orders. */
  filters: FiltersForm | null
}

const HEADINGS: Record<string, string> = { POST: 'Create', PUT: 'Edit' }

function csrfInput(token: string) {
  return html`<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`
}

function buttons(methods: Method[]) {
  return methods.map(
    (m) => html`<button type="submit" class="method-${m.toLowerCase()}" value="${m}">${m}</button>`,
  )
}

function formPanel(page: PageModel, form: PageForm, id: string): Raw {
  const heading = HEADINGS[form.methods[0] ?? 'POST'] ?? 'Edit'
  const files = form.fields.some((f) => f.kind === 'file')
  const formErrors = form.formErrors.length
    ? html`<ul class="form-errors" role="alert">${form.formErrors.map((e) => html`<li>${e}</li>`)}</ul>`
    : ''
  const fields = form.fields.map((f) =>
    renderField(f, id, form.values[f.name], form.errors[f.name]),
  )
  const rawFields = form.fields.filter((f) => f.kind !== 'file')
  return html`<section class="panel" aria-labelledby="${id}--heading">
<h2 id="${id}--heading">${heading}</h2>
<form class="api-form" data-kind="html" method="post" action="${page.path}"${files ? raw(' enctype="multipart/form-data"') : ''}>
${csrfInput(page.csrfToken)}${formErrors}${fields}
<div class="actions">${buttons(form.methods)}</div>
</form>
<details class="raw-data"><summary>Raw data</summary>
<form class="api-form" data-kind="raw" method="post" action="${page.path}">
${csrfInput(page.csrfToken)}
<label for="${id}--media-type">Media type</label>
<select name="_content_type" id="${id}--media-type"><option>application/json</option></select>
<label for="${id}--content">Content</label>
<textarea name="_content" id="${id}--content" rows="10" spellcheck="false">${rawContent(rawFields, form.values)}</textarea>
<div class="actions">${buttons(form.methods)}</div>
</form>
</details>
</section>`
}

function account(page: PageModel): Raw {
  if (!page.username) {
    const next = encodeURIComponent(page.url)
    return html`<a class="login" href="${page.loginUrl}?next=${next}">Log in</a>`
  }
  return html`<span class="username">${page.username}</span>
<form method="post" action="${page.logoutUrl}" class="logout">${csrfInput(page.csrfToken)}<button type="submit">Log out</button></form>`
}

function toolbar(page: PageModel): Raw {
  const destroy = page.canDelete
    ? html`<form class="api-form" data-kind="none" data-confirm="Are you sure you want to delete this?" method="post" action="${page.path}">${csrfInput(page.csrfToken)}<button type="submit" class="method-delete" value="DELETE">DELETE</button></form>`
    : ''
  return html`<div class="toolbar">
${destroy}
<form class="api-form" data-kind="none" method="post" action="${page.path}">${csrfInput(page.csrfToken)}<button type="submit" class="method-options" value="OPTIONS">OPTIONS</button></form>
<a class="button" href="${page.path}?format=json">JSON</a>
${page.filters ? filtersDialog(page.filters, page.path) : ''}
</div>`
}

// DRF's page list, above the answer: « Previous, the numbered pages with gaps, Next ».
function pagination(page: PageModel): Raw | string {
  if (!page.pages || (!page.pages.next && !page.pages.previous)) return ''
  const link = (href: string | null, text: string, rel: string) =>
    href
      ? html`<li><a href="${href}" rel="${rel}">${text}</a></li>`
      : html`<li><span aria-disabled="true">${text}</span></li>`
  const numbers = page.pages.numbers.map((n) => {
    if (n === null) return html`<li><span class="gap">…</span></li>`
    return n.current
      ? html`<li><a href="${n.href}" aria-current="page" aria-label="Page ${n.number}">${n.number}</a></li>`
      : html`<li><a href="${n.href}" aria-label="Page ${n.number}">${n.number}</a></li>`
  })
  return html`<nav class="pagination" aria-label="Pages"><ul>${link(page.pages.previous, '« Previous', 'prev')}${numbers}${link(page.pages.next, 'Next »', 'next')}</ul></nav>`
}

/** The browsable API's page for one answer (DRF's api.html), self-contained apart from its CSS and script. */
export function browsablePage(page: PageModel): string {
  const crumbs = page.breadcrumbs.map((c, i) =>
    i === page.breadcrumbs.length - 1
      ? html`<li><a href="${c.href}" aria-current="page">${c.name}</a></li>`
      : html`<li><a href="${c.href}">${c.name}</a></li>`,
  )
  const meta = [`HTTP ${page.status}`, ...page.headers.map(([k, v]) => `${k}: ${v}`)].join('\n')
  const body = page.body === null ? '' : raw(`\n\n${page.body}`)
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.title} – Portcullis</title>
<link rel="stylesheet" href="${page.assets.css}"><script src="${page.assets.js}" defer></script></head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="navbar"><a class="brand" href="${page.breadcrumbs[0]?.href ?? page.path}">${page.siteName}</a><nav aria-label="Account" class="account">${account(page)}</nav></header>
<nav aria-label="Breadcrumb" class="breadcrumbs"><ol>${crumbs}</ol></nav>
<main id="content">
${toolbar(page)}
<h1 tabindex="-1">${page.title}</h1>
${page.description ? html`<p class="description">${page.description}</p>` : ''}
${pagination(page)}
<section aria-label="Request" class="request"><pre><b>${page.method}</b> ${page.url}</pre></section>
<section aria-label="Response" class="response"><pre><span class="meta">${meta}</span>${body}</pre></section>
${page.create ? formPanel(page, page.create, 'create') : ''}
${page.edit ? formPanel(page, page.edit, 'edit') : ''}
</main>
</body></html>`.value
}
