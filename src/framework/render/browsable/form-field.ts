/**
 * How a form field is edited, and how the page's script turns its input into JSON: `text` is a
 * text area, `related` a select of objects, `related-many` a multiple select of them, `json` a
 * text area of JSON.
 */
export type FieldKind =
  | 'string'
  | 'text'
  | 'integer'
  | 'number'
  | 'decimal'
  | 'boolean'
  | 'choice'
  | 'related'
  | 'related-many'
  | 'list'
  | 'json'
  | 'datetime'
  | 'date'
  | 'time'
  | 'file'

/** One option of a select. */
export interface FormChoice {
  value: string
  label: string
}

/** One input of a generated form. */
export interface FormField {
  name: string
  label: string
  kind: FieldKind
  required: boolean
  nullable: boolean
  /** A blank value is a value ('' is sent), not an absent one (DRF's allow_blank). */
  allowBlank?: boolean
  help?: string
  /** A select's options; for a relation, the objects this user may name. */
  choices?: FormChoice[]
  /** A relation has more objects than its select lists (DRF's HTML_SELECT_CUTOFF). */
  cutOff?: number
  /** The HTML input type of a string: text, email, url, password. */
  inputType?: string
  maxLength?: number
  /** A number input's step: "1", "0.01", "any". */
  step?: string
}

/** What a field is, before its label and name: what the two form builders work out. */
export type FieldShape = Omit<FormField, 'name' | 'label' | 'required'>

/** A label from a field name, as Django's capfirst(verbose_name). */
export function labelOf(name: string, given?: string) {
  const text = given ?? name.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}
