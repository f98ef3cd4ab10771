import type { FastifyRequest } from 'fastify'
import { NotAcceptable, NotFound } from '../errors.ts'
import { queryParam } from '../resources/query-param.ts'

/** What an answer is rendered as: JSON, or the browsable API's HTML page. */
export type Format = 'json' | 'html'

// The renderers in DRF's default order: JSON first, so `*/*` and no Accept mean JSON.
const RENDERERS: readonly { format: Format; type: string; sub: string; name: string }[] = [
  { format: 'json', type: 'application', sub: 'json', name: 'json' },
  { format: 'html', type: 'text', sub: 'html', name: 'api' },
]

interface MediaRange {
  type: string
  sub: string
  precedence: number
}

// DRF's _MediaType.precedence: */* < type/* < type/subtype < type/subtype;params (q aside).
function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    const [type = '', sub = ''] = range.split('/')
    if (!type || !sub) continue
    const q = params.find((p) => p.startsWith('q='))
    if (q && Number(q.slice(2)) === 0) continue
    const precedence =
      type === '*' ? 0 : sub === '*' ? 1 : params.some((p) => !p.startsWith('q=')) ? 3 : 2
    ranges.push({ type, sub, precedence })
  }
  return ranges
}

function matches(renderer: (typeof RENDERERS)[number], range: MediaRange) {
  return (
    (range.type === '*' || range.type === renderer.type) &&
    (range.sub === '*' || range.sub === renderer.sub)
  )
}

/**
 * Choose the renderer as DRF's DefaultContentNegotiation does: `?format=json|api` narrows the
 * choice (an unknown format is a 404), then the Accept header's most specific ranges pick the
 * first renderer they match; none → 406.
 */
export function negotiate(request: FastifyRequest): Format {
  const accept = request.headers.accept
  const format = queryParam(request, 'format')
  // The common API call: no format, no Accept or a JSON one. An empty Accept accepts nothing
  // (DRF reads only an absent one as */*).
  if (
    format === undefined &&
    (accept === undefined || accept === '*/*' || accept === 'application/json')
  ) {
    return 'json'
  }
  let renderers = RENDERERS
  if (format !== undefined) {
    renderers = RENDERERS.filter((r) => r.name === format)
    if (renderers.length === 0) throw new NotFound()
  }
  const ranges = parseAccept(accept ?? '*/*')
  for (let precedence = 3; precedence >= 0; precedence--) {
    const group = ranges.filter((r) => r.precedence === precedence)
    for (const renderer of renderers) {
      if (group.some((range) => matches(renderer, range))) return renderer.format
    }
  }
  throw new NotAcceptable()
}

/** The format for an answer made before negotiation ran (a body parse error): never throws. */
export function formatOf(request: FastifyRequest): Format {
  if (request.format) return request.format
  try {
    return negotiate(request)
  } catch {
    return 'json'
  }
}
