// The browsable API's forms: send each with its method (PUT, PATCH, DELETE, OPTIONS are not
// HTML form methods) and the CSRF token, then show the answer's page in place, as DRF's
// ajax-form.js does. Listeners sit on the document, so they outlive each page swap.

function inputValue(input) {
  const kind = input.dataset.kind
  const nullable = 'nullable' in input.dataset
  if (kind === 'boolean') return input.checked
  const text = input.value
  if (kind === 'integer' || kind === 'number') {
    if (text === '') return nullable ? null : undefined
    return Number(text)
  }
  if (kind === 'list') {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
    return items.every((item) => /^-?\d+$/.test(item)) ? items.map(Number) : items
  }
  if (text === '' && nullable) return null
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
        const value = inputValue(input)
        if (value !== undefined && value !== null) data.append(input.name, String(value))
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
  if (form.dataset.kind === 'raw') {
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
  } catch (err) {
    const note = document.createElement('p')
    note.className = 'request-error'
    note.setAttribute('role', 'alert')
    note.textContent = `The request could not be sent: ${err.message}`
    form.append(note)
  }
}

document.addEventListener('submit', submit)

// The Filters dialog (DRF's "Filters" button): opened and closed here; its form is a plain GET,
// sent without the inputs left empty so that the list's URL names only the filters in use.
document.addEventListener('click', (event) => {
  const opener = event.target.closest?.('[data-opens]')
  if (opener) document.getElementById(opener.dataset.opens)?.showModal()
  const closer = event.target.closest?.('[data-closes]')
  if (closer) document.getElementById(closer.dataset.closes)?.close()
})
document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('filters-form')) return
  for (const input of form.elements) {
    if (input.name && input.value === '') input.disabled = true
  }
})
