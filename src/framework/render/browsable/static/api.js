// The browsable API's forms: send each with its method (PUT, PATCH, DELETE, OPTIONS are not
// HTML form methods) and the CSRF token, then show the answer's page in place, as DRF's
// ajax-form.js does. Listeners sit on the document, so they outlive each page swap.

// A blank input as DRF reads an HTML form: a blank where blanks are allowed, null where null
// is, nothing at all (the field is left out, so its default applies) where it is optional; a
// required field's blank is sent, for the field's own message. The server reads a form the same way.
function blankValue(input) {
  const flags = input.dataset
  if ('allowBlank' in flags) return ''
  if ('nullable' in flags) return null
  if (!('required' in flags)) return undefined
  // DRF's RelatedField reads a blank key as null: "This field may not be null."
  return flags.kind === 'related' ? null : ''
}

// A related object's key: a number when it is one.
const keyValue = (text) => (/^-?\d+$/.test(text) ? Number(text) : text)

function inputValue(input) {
  const kind = input.dataset.kind
  if (kind === 'boolean') return input.checked
  if (kind === 'related-many') return [...input.selectedOptions].map((o) => keyValue(o.value))
  const text = input.value
  // A moment left as shown is sent as it was, to its last digit (the input holds seconds).
  if (input.dataset.value !== undefined && text === input.defaultValue) return input.dataset.value
  if (text === '') return blankValue(input)
  if (kind === 'integer' || kind === 'number') return Number(text)
  if (kind === 'related') return keyValue(text)
  // The page shows and takes moments in UTC: the input's wall time gets its zone.
  if (kind === 'datetime') return `${text}Z`
  if (kind === 'json') {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  if (kind === 'list') {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
    return items.every((item) => /^-?\d+$/.test(item)) ? items.map(Number) : items
  }
  return text
}

function htmlFormBody(form, headers) {
  const inputs = [...form.querySelectorAll('[data-kind]')]
  const hasFile = inputs.some((i) => i.dataset.kind === 'file' && i.files && i.files.length)
  if (hasFile) {
    const data = new FormData()
    for (const input of inputs) {
      if (input.dataset.kind === 'file') {
        if (input.files.length) data.append(input.name, input.files[0])
      } else {
        // A form's null is a blank, which the server reads as null for a nullable field.
        const value = inputValue(input)
        const values = Array.isArray(value) ? value : value === undefined ? [] : [value ?? '']
        for (const v of values) data.append(input.name, String(v))
      }
    }
    return data
  }
  const body = {}
  for (const input of inputs) {
    if (input.dataset.kind === 'file') continue
    const value = inputValue(input)
    if (value !== undefined) body[input.name] = value
  }
  headers['Content-Type'] = 'application/json'
  return JSON.stringify(body)
}

function showPage(text, contentType) {
  if (!contentType.startsWith('text/html')) {
    const pre = document.createElement('pre')
    pre.textContent = text
    document.querySelector('main').replaceChildren(pre)
    return
  }
  const next = new DOMParser().parseFromString(text, 'text/html')
  document.replaceChild(document.adoptNode(next.documentElement), document.documentElement)
  const heading = document.querySelector('h1')
  if (heading) heading.focus()
}

// A refused raw body stays as it was typed, in its open panel, with the form's errors (a
// malformed body's parse error) beside it rather than in the HTML form above.
function keepRawContent(contentId, content) {
  const textarea = document.getElementById(contentId)
  if (!textarea?.form) return
  textarea.value = content
  const rawForm = textarea.form
  const details = rawForm.closest('details')
  if (details) details.open = true
  const errors = rawForm.closest('.panel')?.querySelector('form[data-kind="html"] .form-errors')
  if (errors) rawForm.insertBefore(errors, rawForm.querySelector('label'))
  textarea.focus()
}

async function submit(event) {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('api-form')) return
  event.preventDefault()
  const method = event.submitter?.value || 'POST'
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return
  const headers = { Accept: 'text/html' }
  const token = form.querySelector('input[name=csrfmiddlewaretoken]')
  if (token) headers['X-CSRFToken'] = token.value
  let body
  const raw = form.dataset.kind === 'raw'
  if (raw) {
    headers['Content-Type'] = form.elements._content_type.value
    body = form.elements._content.value
  } else if (form.dataset.kind === 'html') {
    body = htmlFormBody(form, headers)
  }
  try {
    const response = await fetch(form.action, {
      method,
      headers,
      body,
      credentials: 'same-origin',
    })
    showPage(await response.text(), response.headers.get('content-type') || '')
    if (raw && !response.ok) keepRawContent(form.elements._content.id, body)
  } catch (err) {
    const note = document.createElement('p')
    note.className = 'request-error'
    note.setAttribute('role', 'alert')
    note.textContent = `The request could not be sent: ${err.message}`
    form.append(note)
  }
}

document.addEventListener('submit', submit)
