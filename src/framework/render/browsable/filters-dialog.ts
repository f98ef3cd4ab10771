import type { TSchema } from '@sinclair/typebox'
import type { ListFilters } from '../../resources/list-filters.ts'
import { html, type Raw } from './html.ts'

/** One input of the Filters dialog: a query parameter, what it offers, and its current value. */
export interface FilterInput {
  param: string
  label: string
  /** Help under the input (a custom filter's description). */
  help?: string
  /** The values a select offers ([value, label]); a text or number input when absent. */
  options?: [string, string][]
  inputType: 'text' | 'number'
  value: string
}

/** The Filters dialog of a list page (DRF's filter forms): GET with the list's own parameters. */
export interface FiltersForm {
  inputs: FilterInput[]
}

type FilterSchema = TSchema & { type?: string; enum?: string[]; description?: string }

// A field filter describes itself as "status equals.": a label as it stands.
function labelOf(param: string, schema: FilterSchema): { label: string; help?: string } {
  const name = param.split('__')[0] ?? param
  const text = schema.description?.replace(/\.$/, '')
  if (text?.startsWith(`${name} `)) return { label: capitalised(text.replaceAll('_', ' ')) }
  return { label: capitalised(param.replaceAll('_', ' ')), help: schema.description }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

// django-filter's NullBooleanSelect: unset, yes, no.
const BOOLEAN_OPTIONS: [string, string][] = [
  ['', '---------'],
  ['true', 'Yes'],
  ['false', 'No'],
]

/** The dialog's inputs for a list's filters, filled with what the request asked for. */
export function filtersForm(filters: ListFilters, query: URLSearchParams): FiltersForm | null {
  const inputs: FilterInput[] = []
  if (filters.search) {
    inputs.push({
      param: 'search',
      label: 'Search',
      inputType: 'text',
      value: query.get('search') ?? '',
    })
  }
  if (filters.ordering.length) {
    const options: [string, string][] = [['', 'Default']]
    for (const name of filters.ordering) {
      const words = name.replaceAll('_', ' ')
      options.push(
        [name, `${capitalised(words)} – ascending`],
        [`-${name}`, `${capitalised(words)} – descending`],
      )
    }
    inputs.push({
      param: 'ordering',
      label: 'Ordering',
      options,
      inputType: 'text',
      value: query.get('ordering') ?? '',
    })
  }
  for (const [param, given] of Object.entries(filters.fields)) {
    const schema = given as FilterSchema
    const options = schema.enum
      ? ([['', '---------'], ...schema.enum.map((v) => [v, v])] as [string, string][])
      : schema.type === 'boolean'
        ? BOOLEAN_OPTIONS
        : undefined
    inputs.push({
      param,
      ...labelOf(param, schema),
      options,
      inputType: schema.type === 'number' || schema.type === 'integer' ? 'number' : 'text',
      value: query.get(param) ?? '',
    })
  }
  return inputs.length ? { inputs } : null
}

function filterInput(input: FilterInput): Raw {
  const id = `filter-${input.param}`
  const help = input.help ? html`<small id="${id}-help">${input.help}</small>` : ''
  const described = input.help ? html` aria-describedby="${id}-help"` : ''
  const control = input.options
    ? html`<select name="${input.param}" id="${id}"${described}>${input.options.map(
        ([value, text]) =>
          value === input.value
            ? html`<option value="${value}" selected>${text}</option>`
            : html`<option value="${value}">${text}</option>`,
      )}</select>`
    : html`<input type="${input.inputType}" name="${input.param}" id="${id}" value="${input.value}"${described}>`
  return html`<div class="field"><label for="${id}">${input.label}</label>${control}${help}</div>`
}

/** The "Filters" button and its dialog: a plain GET form, read by the list as typed query parameters. */
export function filtersDialog(form: FiltersForm, path: string): Raw {
  return html`<button type="button" class="filters-button" data-opens="filters-dialog" aria-haspopup="dialog">Filters</button>
<dialog id="filters-dialog" class="filters" aria-labelledby="filters-dialog-heading">
<h2 id="filters-dialog-heading">Filters</h2>
<form class="filters-form" method="get" action="${path}">
${form.inputs.map(filterInput)}
<div class="actions"><button type="submit">Apply</button><button type="button" data-closes="filters-dialog">Cancel</button></div>
</form>
</dialog>`
}
