import type { View } from './view.ts'

const SUFFIX: Record<string, string> = {
  list: 'List',
  create: 'List',
  retrieve: 'Instance',
  update: 'Instance',
  partial_update: 'Instance',
  destroy: 'Instance',
}

/** Words of a name or path, capitalised: `password_reset` → "Password Reset". */
export function titleWords(text: string): string {
  return text
    .replace(/^\/+|\/+$/g, '')
    .split(/[-_/\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ')
}

/** The view name of an API root (`apiRootRoute`) and of the server's root page. */
export const API_ROOT_VIEW = 'api-root'

/** A view's display name, as DRF's get_view_name: "Bucketlist List", "Bucketlist Instance". */
export function viewName(view: View): string {
  // DRF's APIRootView is no viewset: its name, "Api Root", takes no action suffix.
  if (view.name === API_ROOT_VIEW) return 'Api Root'
  return `${titleWords(view.name)} ${SUFFIX[view.action] ?? titleWords(view.action)}`.trim()
}
