import type { View } from '../resources/view.ts'

// The generic actions in words; `{}` is the view's name.
const ACTIONS: Record<string, string> = {
  list: 'List {} objects',
  create: 'Create a {}',
  retrieve: 'Show a {}',
  update: 'Replace a {}',
  partial_update: 'Change part of a {}',
  destroy: 'Delete a {}',
}

/** A one-line summary from a route's view, for routes that declare none. */
export function summaryOf(view: View): string {
  const template = ACTIONS[view.action]
  if (template) return template.replace('{}', view.name)
  return `${view.name}: ${view.action.replaceAll('_', ' ')}`
}
