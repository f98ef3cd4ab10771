import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import type { Related } from './list-plan.ts'
import type { ViewsetDefinition } from './viewset.ts'

/**
 * The relations a viewset's `scope` may name: its declared `related`, and each many-to-many field
 * of its schema by the field's name, as its through rows. So `{ 'readers.user_id': id }` is
 * Django's `Q(readers=user)` for `readers: f.manyRelated({ through: { table: 'note_readers',
 * from: 'note_id', to: 'user_id' }, ... })`, with nothing more declared.
 */
export function relatedOf<F extends FieldMap, Row extends ObjectRow>(
  vs: ViewsetDefinition<F, Row>,
): Related | undefined {
  const found: Related = {}
  const key = `${vs.table}.${vs.pk ?? 'id'}`
  for (const [name, field] of Object.entries(vs.schema.fields)) {
    const through = field.relation?.through
    if (through === undefined) continue
    found[name] = (eb) =>
      eb.selectFrom(`${through.table} as ${name}`).whereRef(`${name}.${through.from}`, '=', key)
  }
  if (Object.keys(found).length === 0) return vs.related
  return { ...found, ...vs.related }
}
