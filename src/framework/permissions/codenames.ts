/** The actions Django creates a permission for on every model. */
export type ModelAction = 'add' | 'change' | 'delete' | 'view'

/** A permission's codename: `app.action_model`, the form Django's `user.has_perm` takes. */
export const CODENAME = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/

/** An object type as object grants name it: `app.model` ("bucketlists.bucketlist"). */
export const OBJECT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/

/**
 * The codename of `action` on `model`: `bucketlists.bucketlist` → `bucketlists.add_bucketlist`;
 * a model named without its app (a bare viewset basename) gives `add_bucketlist`.
 */
export function codenameFor(model: string, action: ModelAction): string {
  const dot = model.lastIndexOf('.')
  return dot === -1
    ? `${action}_${model}`
    : `${model.slice(0, dot)}.${action}_${model.slice(dot + 1)}`
}

/** The model action a method needs (DRF's perms_map): null when reading needs none. */
export function actionForMethod(method: string, viewRequired: boolean): ModelAction | null {
  switch (method) {
    case 'POST':
      return 'add'
    case 'PUT':
    case 'PATCH':
      return 'change'
    case 'DELETE':
      return 'delete'
    default:
      // GET, HEAD, OPTIONS read; DRF requires nothing for them unless configured to.
      return viewRequired ? 'view' : null
  }
}
