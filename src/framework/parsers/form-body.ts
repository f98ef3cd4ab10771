import { parse } from 'node:querystring'
import { tooManyFields } from './body-problem.ts'

/**
 * A form body (Django's QueryDict): its fields, a repeated name giving a list; more than
 * `maxFields` fields (counted as Django does, by `&`, before any decoding) is the problem.
 */
export function parseFormBody(text: string, maxFields: number): unknown {
  let fields = 1
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (++fields > maxFields) return tooManyFields(maxFields)
  }
  // The limit is ours (above): querystring's own would drop the fields past it silently.
  return parse(text, '&', '=', { maxKeys: 0 })
}
