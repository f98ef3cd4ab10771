import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { type Field, fail, makeField } from '../schema/field.ts'
import { type DeclaredRules, ruleFor } from './declared-rules.ts'
import type { ObjectRow } from './permission.ts'

/** What the current user may do with one object, by action: `{"read": true, "write": false}`. */
export type PermissionMap = Record<string, boolean>

/** The `permissions` field of a resource and the step that fills it in for loaded rows. */
export interface ExposedPermissions<Row extends ObjectRow> {
  /** A read-only schema field: put it in the resource schema under the name given. */
  readonly field: Field<PermissionMap>
  /** Fill the field in on each row before it is serialized (a viewset's `present` hook). */
  present(request: FastifyRequest, rows: Row[]): Promise<void>
}

/**
 * One action's answer for one object: the global rule and the object rule (where declared)
 * must both allow. No rule, a non-`true` answer or a throw is `false`: a button shown for an
 * action the server would refuse is a lie, so the field errs towards hiding.
 */
async function allows<Row extends ObjectRow>(
  rules: DeclaredRules<Row>,
  action: string,
  request: FastifyRequest,
  obj: Row,
): Promise<boolean> {
  try {
    if (rules.global) {
      const rule = ruleFor(rules.global, action)
      if (!rule || (await rule(request)) !== true) return false
    }
    if (rules.object) {
      const rule = ruleFor(rules.object, action)
      if (!rule || (await rule(request, obj)) !== true) return false
    }
    return true
  } catch (err) {
    request.log.error({ err, action }, 'declared permission rule threw; showing it as denied')
    return false
  }
}

/** What `request`'s user may do with `obj`, for each of `actions`, from the declared rules. */
export async function permissionsOf<Row extends ObjectRow>(
  rules: DeclaredRules<Row>,
  request: FastifyRequest,
  obj: Row,
  actions: readonly string[],
): Promise<PermissionMap> {
  const map: PermissionMap = {}
  for (const action of actions) map[action] = await allows(rules, action, request, obj)
  return map
}

/**
 * The opt-in `permissions` field (DRY REST's DRYPermissionsField), computed per object from the
 * same rules the permission class enforces, so a front end can hide the buttons it may not use.
 * `actions` are `read`, `write` and any action name (`update`, `destroy`, a custom action).
 */
export function exposedPermissions<Row extends ObjectRow>(
  rules: DeclaredRules<Row>,
  actions: readonly string[] = ['read', 'write'],
  name = 'permissions',
): ExposedPermissions<Row> {
  const schema = Type.Object(Object.fromEntries(actions.map((a) => [a, Type.Boolean()])), {
    additionalProperties: false,
  })
  const field = makeField<PermissionMap>(
    'permissions',
    schema,
    { readOnly: true, description: 'What the current user may do with this object.' },
    // Read-only: validation never reads it from a body.
    () => fail('This field is read-only.'),
  )
  return {
    field,
    async present(request, rows) {
      for (const row of rows) {
        const target: ObjectRow = row
        target[name] = await permissionsOf(rules, request, row, actions)
      }
    },
  }
}
