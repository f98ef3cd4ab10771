import type { FastifyRequest } from 'fastify'
import type { ObjectRow } from './permission.ts'
import { SAFE_METHODS } from './safe-methods.ts'

/** A model-wide rule (DRY REST's `has_read_permission(request)`): may this request act at all? */
export type GlobalRule = (request: FastifyRequest) => boolean | Promise<boolean>

/** A per-object rule (DRY REST's `has_object_read_permission`): may it act on this object? */
export type ObjectRule<Row extends ObjectRow = ObjectRow> = (
  request: FastifyRequest,
  obj: Row,
) => boolean | Promise<boolean>

/**
 * Rules by name at one level: `read` and `write`, and per action (`create`, `update`,
 * `partial_update`, `destroy`, a custom action's name), which win over `read`/`write`.
 */
export type RuleSet<R> = {
  read?: R
  write?: R
  create?: R
  update?: R
  partial_update?: R
  destroy?: R
  list?: R
  retrieve?: R
} & { [action: string]: R | undefined }

/** Permissions declared next to a model (DRY REST permissions): a level left out is not checked. */
export interface DeclaredRules<Row extends ObjectRow = ObjectRow> {
  global?: RuleSet<GlobalRule>
  object?: RuleSet<ObjectRule<Row>>
}

/** Declare a model's permission rules; typed by the rows its object rules receive. */
export function declarePermissions<Row extends ObjectRow = ObjectRow>(
  rules: DeclaredRules<Row>,
): DeclaredRules<Row> {
  return rules
}

// Actions that only read; every other action (generic or custom) falls back to `write`.
const READ_ACTIONS: ReadonlySet<string> = new Set(['read', 'list', 'retrieve'])

// Whether an action falls back to `read` (else `write`) when no rule names it.
function isReadAction(action: string, method?: string): boolean {
  if (action === 'read') return true
  if (action === 'write') return false
  // A request's method decides for a custom action (GET reads); a bare name decides by itself.
  return method !== undefined ? SAFE_METHODS.has(method) : READ_ACTIONS.has(action)
}

/**
 * The rule that governs `action` at one level, DRY REST's order: the action's own rule, then
 * `update`'s for `partial_update` (DRY's partial_update_is_update), then `read` or `write`.
 * `undefined` when none applies: the caller denies, since an undeclared rule grants nothing.
 */
export function ruleFor<R>(set: RuleSet<R>, action: string, method?: string): R | undefined {
  if (action !== 'read' && action !== 'write') {
    const own = Object.hasOwn(set, action) ? set[action] : undefined
    if (own) return own
    if (action === 'partial_update' && set.update) return set.update
  }
  return isReadAction(action, method) ? set.read : set.write
}
