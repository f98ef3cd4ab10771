import type { FastifyRequest } from 'fastify'
import type { PermissionBackend } from './permission-backend.ts'

// Per request, never on the policy (STYLE 1): a WeakMap entry dies with its request. The promise
// is kept, so checks running at once share one query.
const modelWide = new WeakMap<FastifyRequest, Promise<ReadonlySet<string>>>()
const onObjects = new WeakMap<FastifyRequest, Map<string, Promise<ReadonlySet<string>>>>()

const NONE: ReadonlySet<string> = new Set()

/** The server's permission backend; a server that registered none is told how to. */
export function permissionBackend(request: FastifyRequest): PermissionBackend {
  const backend = request.server.permissionsBackend
  if (!backend) {
    throw new Error(
      "model and object permissions need a backend: app.decorate('permissionsBackend', accountsPermissionBackend(db))",
    )
  }
  return backend
}

/** The requesting user's model-wide codenames (own and groups'), loaded once per request. */
export function userPermissions(request: FastifyRequest): Promise<ReadonlySet<string>> {
  // An anonymous user holds nothing; an inactive one never gets this far (schemes refuse it).
  if (request.user === null) return Promise.resolve(NONE)
  let loaded = modelWide.get(request)
  if (!loaded) {
    loaded = permissionBackend(request).permissionsOf(request.user.id)
    modelWide.set(request, loaded)
  }
  return loaded
}

/** The requesting user's codenames on one object (own and groups' grants), once per request. */
export function userObjectPermissions(
  request: FastifyRequest,
  objectType: string,
  objectId: string,
): Promise<ReadonlySet<string>> {
  if (request.user === null) return Promise.resolve(NONE)
  let byObject = onObjects.get(request)
  if (!byObject) {
    byObject = new Map()
    onObjects.set(request, byObject)
  }
  const key = `${objectType}\u0000${objectId}`
  let loaded = byObject.get(key)
  if (!loaded) {
    loaded = permissionBackend(request).objectPermissionsOf(request.user.id, objectType, objectId)
    byObject.set(key, loaded)
  }
  return loaded
}
