import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import {
  type Field,
  f,
  makeField,
  ok,
  type ValidationContext,
} from '../../../src/framework/index.ts'
import { renderField } from '../../../src/framework/render/browsable/form-fields.ts'
import { resourceFieldShape } from '../../../src/framework/render/browsable/resource-field-shape.ts'

// The form builder's widgets from fields alone: no request is read unless a field lists rows.
const context = {} as ValidationContext

/** A list of related keys, as a many-to-many field has it, over `count` rows named Tag 0, 1… */
function relatedKeys(count: number): Field<unknown> {
  const field = makeField<number[]>('related_keys', Type.Array(Type.Integer()), {}, (v) =>
    ok(v as number[]),
  )
  return {
    ...field,
    async relatedChoices(_context, limit) {
      return Array.from({ length: Math.min(count, limit) }, (_, i) => ({
        value: String(i + 1),
        label: `Tag ${i}`,
      }))
    },
  } as Field<unknown>
}

async function widget(field: Field<unknown>, value?: unknown, required = false) {
  const shape = await resourceFieldShape(field, context)
  return renderField({ name: 'x', label: 'X', required, ...shape }, 'create', value, undefined)
    .value
}

describe('the widget of a field', () => {
  it('is a multiple select for a list of related keys, the chosen ones selected', async () => {
    const html = await widget(relatedKeys(3), [1, 3])
    expect(html).toContain('<select multiple name="x" id="create-x" data-kind="related-many"')
    expect(html).toContain('<option value="1" selected>Tag 0</option>')
    expect(html).toContain('<option value="2">Tag 1</option>')
    expect(html).not.toContain('---------')
  })

  it('stops a long list at 1000 with a disabled note', async () => {
    const html = await widget(relatedKeys(1500))
    expect(html.match(/<option value="\d+"/g)).toHaveLength(1000)
    expect(html).toContain('<option value="n/a" disabled>More than 1000 items...</option>')
  })

  it.each([
    [f.string(), '<textarea rows="4" name="x"'],
    [f.string({ maxLength: 300 }), '<textarea rows="4" maxlength="300"'],
    [f.string({ maxLength: 255 }), '<input type="text" maxlength="255"'],
    [f.string({ maxLength: 40, style: { multiline: true } }), '<textarea rows="4" maxlength="40"'],
    [f.string({ style: { inputType: 'password' } }), '<input type="password"'],
    [f.email(), '<input type="email"'],
    [f.url(), '<input type="url"'],
    [f.boolean(), '<input type="checkbox" value="true"'],
    [f.integer(), '<input type="number" step="1"'],
    [f.decimal({ maxDigits: 6, decimalPlaces: 2 }), '<input type="number" step="0.01"'],
    [f.datetime(), '<input type="datetime-local" step="1"'],
    [f.date(), '<input type="date" value=""'],
    [f.time(), '<input type="time" step="1"'],
    [f.json(), '<textarea rows="4" name="x" id="create-x" data-kind="json"'],
    [f.choice(['a', 'b'], { names: { a: 'Ay', b: 'Bee' } }), '<option value="a">Ay</option>'],
  ])('%#: %s', async (field, expected) => {
    expect(await widget(field as Field<unknown>)).toContain(expected)
  })

  it('flags what the page script needs to leave a blank out', async () => {
    const nullable = await widget(f.date({ nullable: true }), undefined, false)
    expect(nullable).toContain('data-nullable')
    expect(await widget(f.string({ allowBlank: true }))).toContain('data-allow-blank')
    expect(await widget(f.string({ maxLength: 9 }), undefined, true)).toContain('data-required')
  })
})
