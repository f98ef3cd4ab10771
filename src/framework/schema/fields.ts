import { Type } from '@sinclair/typebox'
import { isoTimestamp } from '../db/iso-timestamp.ts'
import { absoluteUrl } from '../resources/absolute-url.ts'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'

/** Options of a string field (DRF's CharField). */
export interface StringOptions extends FieldOptions<string> {
  maxLength?: number
  minLength?: number
  /** Accept '' (DRF's allow_blank). */
  allowBlank?: boolean
  /** Strip surrounding whitespace first (DRF's default). */
  trim?: boolean
}

// U+0000 cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate has no UTF-8 form
// (SQLite would keep replacement characters): DRF's CharField refuses both.
const noNullCharacters = (s: string) =>
  s.includes('\0') ? 'Null characters are not allowed.' : null

function noSurrogates(s: string) {
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s)
  if (!lone) return null
  const code = lone[0].charCodeAt(0).toString(16).toUpperCase()
  return `Surrogate characters are not allowed: U+${code}.`
}

// Characters as Python counts them (code points), as DRF's lengths and a PostgreSQL varchar do: an
// emoji is one, not two UTF-16 units.
const characters = (s: string) => Array.from(s).length

// `invalid`: the message for a value that is no string at all (DRF's EmailField has its own).
function charField(
  kind: string,
  options: StringOptions,
  extra: (s: string) => string | null,
  invalid = 'Not a valid string.',
) {
  const schema = Type.String({
    ...(options.maxLength !== undefined && { maxLength: options.maxLength }),
    ...(options.minLength !== undefined && { minLength: options.minLength }),
    // OpenAPI's hint to hide what is typed, read by the browsable API's forms and by docs pages.
    ...(options.style?.inputType === 'password' && { format: 'password' }),
  })
  const { maxLength, minLength } = options
  // DRF's order, every one run and every message kept: the field's own validators, the
  // lengths, null and surrogate characters, then the kind's (an email's shape).
  const checks = [
    ...(options.validators ?? []),
    (s: string) =>
      maxLength !== undefined && s.length > maxLength && characters(s) > maxLength
        ? `Ensure this field has no more than ${maxLength} characters.`
        : null,
    (s: string) =>
      minLength !== undefined && characters(s) < minLength
        ? `Ensure this field has at least ${minLength} characters.`
        : null,
    noNullCharacters,
    noSurrogates,
    extra,
  ]
  // An allowed blank is returned as it is, unchecked (DRF's run_validation).
  const validators = checks.map((check) => (s: string) => (s === '' ? null : check(s)))
  const field = makeField<string>(kind, schema, { ...options, validators }, (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') return fail(invalid)
    let s = String(value)
    if (options.trim !== false) s = s.trim()
    return s === '' && !options.allowBlank ? fail('This field may not be blank.') : ok(s)
  })
  return { ...field, options }
}

/** A string (DRF's CharField): trimmed, blank refused unless allowed, length-checked. */
export function string(options: StringOptions = {}): Field<string> {
  return charField('string', options, () => null)
}

// Django's EmailValidator, simplified to its user@domain.tld shape; like it, no control character
// (U+0000 included) outside a quoted local part, which this shape does not take either.
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$|^[^\s@\p{Cc}]+@localhost$/u
// Django refuses longer addresses before its patterns run, as here: the pattern backtracks in
// time quadratic in the length, and anonymous endpoints (password reset) take an address.
const EMAIL_MAX_LENGTH = 320

/** An email address (DRF's EmailField). */
export function email(options: StringOptions = {}): Field<string> {
  const invalid = 'Enter a valid email address.'
  const field = charField(
    'email',
    options,
    (s) => (s.length <= EMAIL_MAX_LENGTH && EMAIL.test(s) ? null : invalid),
    invalid,
  )
  return { ...field, jsonSchema: { ...field.jsonSchema, format: 'email' } }
}

// Django's URLValidator: an http(s) or ftp(s) address whose host is a name with a top-level
// domain, localhost, or an IP address; 2048 characters at most.
const HOST_LABEL =
  '[a-z\\u00a1-\\uffff0-9](?:[a-z\\u00a1-\\uffff0-9-]{0,61}[a-z\\u00a1-\\uffff0-9])?'
const OCTET = '(?:0|25[0-5]|2[0-4]\\d|1\\d?\\d?|[1-9]\\d?)'
const URL_PATTERN = new RegExp(
  '^(?:https?|ftps?)://' +
    '(?:[^\\s:@/]+(?::[^\\s:@/]*)?@)?' +
    `(?:${OCTET}(?:\\.${OCTET}){3}|\\[[0-9a-f:.]+\\]|` +
    `${HOST_LABEL}(?:\\.(?!-)[a-z\\u00a1-\\uffff0-9-]{1,63}(?<!-))*` +
    '\\.(?!-)(?:[a-z\\u00a1-\\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost)' +
    '(?::\\d{1,5})?(?:[/?#][^\\s]*)?$',
  'i',
)
const URL_MAX_LENGTH = 2048

/** A web address (DRF's URLField): a string Django's URLValidator accepts. */
export function url(options: StringOptions = {}): Field<string> {
  const invalid = 'Enter a valid URL.'
  const field = charField(
    'url',
    options,
    (s) => (s.length <= URL_MAX_LENGTH && URL_PATTERN.test(s) ? null : invalid),
    invalid,
  )
  return { ...field, jsonSchema: { ...field.jsonSchema, format: 'uri' } }
}

/** Options of an integer field; the bounds default to a 32-bit column's, as Django's are. */
export interface IntegerOptions extends FieldOptions<number> {
  min?: number
  max?: number
}

// Django's IntegerField range on every backend: what PostgreSQL's integer column holds.
const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/** An integer (DRF's IntegerField); numeric strings are accepted, as DRF does. */
export function integer(given: IntegerOptions = {}): Field<number> {
  const options = { ...given, min: given.min ?? INT32_MIN, max: given.max ?? INT32_MAX }
  const schema = Type.Integer({
    ...(options.min !== undefined && { minimum: options.min }),
    ...(options.max !== undefined && { maximum: options.max }),
  })
  return makeField<number>('integer', schema, options, (value) => {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN
    if (!Number.isSafeInteger(n) || (typeof value === 'string' && !/^\s*-?\d+\s*$/.test(value))) {
      return fail('A valid integer is required.')
    }
    if (options.max !== undefined && n > options.max) {
      return fail(`Ensure this value is less than or equal to ${options.max}.`)
    }
    if (options.min !== undefined && n < options.min) {
      return fail(`Ensure this value is greater than or equal to ${options.min}.`)
    }
    return ok(n)
  })
}

const TRUE = new Set<unknown>([true, 1, '1', 'true', 'True', 'TRUE', 'yes', 'Yes', 'on', 'On'])
const FALSE = new Set<unknown>([false, 0, '0', 'false', 'False', 'FALSE', 'no', 'No', 'off', 'Off'])

/** A boolean (DRF's BooleanField), with DRF's accepted spellings. */
export function boolean(options: FieldOptions<boolean> = {}): Field<boolean> {
  return makeField<boolean>('boolean', Type.Boolean(), options, (value) => {
    if (TRUE.has(value)) return ok(true)
    if (FALSE.has(value)) return ok(false)
    return fail('Must be a valid boolean.')
  })
}

// ISO 8601 as DRF accepts it: date, time to the minute at least, optional offset.
const ISO_DATETIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/

/** A point in time (DRF's DateTimeField), written out as ISO 8601 UTC to the microsecond. */
export function datetime(options: FieldOptions<string> = {}): Field<string> {
  const schema = Type.String({ format: 'date-time' })
  return makeField<string>('datetime', schema, options, (value) => {
    const parts = typeof value === 'string' ? ISO_DATETIME.exec(value) : null
    // Date parses the moment to the second; the fraction is ours, so microseconds survive.
    const [, day, minutes, seconds = '00', fraction = '', zone = ''] = parts ?? []
    const date = parts ? new Date(`${day}T${minutes}:${seconds}${zone}`) : null
    if (!date || Number.isNaN(date.getTime())) {
      return fail(
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      )
    }
    date.setUTCMilliseconds(Number(fraction.padEnd(3, '0').slice(0, 3)))
    return ok(isoTimestamp(date, fraction))
  })
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

/** A UUID (DRF's UUIDField), as a lowercase hyphenated string. */
export function uuid(options: FieldOptions<string> = {}): Field<string> {
  return makeField<string>('uuid', Type.String({ format: 'uuid' }), options, (value) => {
    if (typeof value !== 'string' || !UUID.test(value.trim())) {
      return fail('Must be a valid UUID.')
    }
    const hex = value.trim().replaceAll('-', '').toLowerCase()
    return ok(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    )
  })
}

/** Options of a choice field. */
export interface ChoiceOptions<C extends string> extends FieldOptions<C> {
  /** Each choice's human name (Django's choice labels), shown by OPTIONS; the value by default. */
  names?: Record<C, string>
}

/** One of a fixed set of strings (DRF's ChoiceField). */
export function choice<const C extends string>(
  choices: readonly C[],
  options: ChoiceOptions<C> = {},
): Field<C> {
  // An enum, not anyOf of literals: serialized as the string it is, with no validator run.
  const schema = Type.Unsafe<C>({ type: 'string', enum: [...choices] })
  return makeField<C>('choice', schema, options, (value) => {
    const s = typeof value === 'number' ? String(value) : value
    return typeof s === 'string' && (choices as readonly string[]).includes(s)
      ? ok(s as C)
      : fail(`"${String(value)}" is not a valid choice.`)
  })
}

/** A read-only list of primary keys (DRF's PrimaryKeyRelatedField(many=True, read_only=True)). */
export function pkList(options: FieldOptions<number[]> = {}): Field<number[]> {
  return makeField<number[]>(
    'pk_list',
    Type.Array(Type.Integer()),
    { ...options, readOnly: true },
    () => fail('This field is read-only.'),
  )
}

/** Options of a file field: where stored names are served (Django's MEDIA_URL). */
export interface FileUrlOptions extends FieldOptions<string | null> {
  /** The URL path that serves stored names, e.g. `/media/`. */
  baseUrl: string
}

/**
 * A stored file shown as its absolute URL, or null when there is none (DRF's read-only
 * ImageField/FileField); files are written by their own endpoint, never through this field.
 */
export function fileUrl(options: FileUrlOptions): Field<string | null> {
  const field = makeField<string | null>(
    'file_url',
    Type.String({ format: 'uri' }),
    { ...options, readOnly: true, nullable: true },
    () => fail('This field is read-only.'),
  )
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`
  return {
    ...field,
    represent: (name, request) => (name ? absoluteUrl(request, `${base}${encodeURI(name)}`) : null),
  }
}

export { date } from './date.ts'
export { type DecimalOptions, decimal } from './decimal.ts'
export { json } from './json.ts'
export { type ManyRelatedOptions, manyRelated, type Through } from './many-related.ts'
export { type NestedOptions, nested } from './nested.ts'
export type { PkType, RelatedScope, Relation } from './related-key.ts'
export { type RelatedPkOptions, relatedPk } from './related-pk.ts'
export { time } from './time.ts'
