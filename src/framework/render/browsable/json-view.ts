import { escapeHtml, escapeText } from './html.ts'

const STRING = /"(?:[^"\\]|\\.)*"/g
const LINK = /^https?:\/\/[^\s<>"']+$/

// A URL longer than a phone's line breaks after a slash, `?` or `&`, not inside a segment.
function breakable(url: string): string {
  return url
    .split(/(?<=[^/:]\/|[?&])(?=[^/])/)
    .map(escapeText)
    .join('<wbr>')
}

/**
 * A JSON payload pretty-printed (4 spaces, as DRF) and escaped, with URL strings made links so
 * the API can be browsed by clicking; text that is not JSON is shown as is.
 */
export function jsonView(payload: string): string {
  let text: string
  try {
    text = JSON.stringify(JSON.parse(payload), null, 4)
  } catch {
    return escapeText(payload)
  }
  let out = ''
  let last = 0
  for (const match of text.matchAll(STRING)) {
    out += escapeText(text.slice(last, match.index))
    const token = match[0]
    const value = JSON.parse(token) as string
    const isKey = text.slice(match.index + token.length).startsWith(':')
    if (isKey) out += `<span class="key">${escapeText(token)}</span>`
    else if (LINK.test(value)) {
      out += `"<a href="${escapeHtml(value)}" rel="nofollow">${breakable(value)}</a>"`
    } else out += `<span class="string">${escapeText(token)}</span>`
    last = match.index + token.length
  }
  return out + escapeText(text.slice(last))
}
