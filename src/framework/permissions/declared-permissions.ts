import type { FastifyRequest } from 'fastify'
import type { View } from '../resources/view.ts'
import { type DeclaredRules, ruleFor } from './declared-rules.ts'
import type { ObjectRow, Permission } from './permission.ts'

/**
 * The one permission class that enforces a model's declared rules (DRY REST's DRYPermissions):
 * the global rule for the view's action before the object is loaded, the object rule after. A
 * level the rules leave out allows; a declared level with no rule for the action denies.
 */
export function declaredPermissions<Row extends ObjectRow>(
  rules: DeclaredRules<Row>,
  options: { message?: string } = {},
): Permission {
  const { global, object } = rules
  return {
    message: options.message,
    hasPermission(request: FastifyRequest, view: View) {
      if (!global) return true
      const rule = ruleFor(global, view.action, request.method)
      // Fail closed: a forgotten rule must not turn into a grant. A throw denies too (evaluate.ts).
      return rule ? rule(request) : false
    },
    hasObjectPermission(request: FastifyRequest, view: View, obj: ObjectRow) {
      if (!object) return true
      const rule = ruleFor(object, view.action, request.method)
      return rule ? rule(request, obj as Row) : false
    },
  }
}
