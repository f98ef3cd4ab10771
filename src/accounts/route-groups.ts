import type { FastifyInstance } from 'fastify'
import type { MediaStorage } from '../framework/files/media-storage.ts'
import { SetupError } from '../framework/setup-errors.ts'
import { jwtRoutes } from './jwt/routes.ts'
import { groupRouter } from './permissions/routes/groups.ts'
import { objectPermissionRouter } from './permissions/routes/object-permissions.ts'
import { userPermissionRoutes } from './permissions/routes/user-permissions.ts'
import { avatarRoutes } from './profiles/avatar-routes.ts'
import { restAuthRoutes } from './rest-auth/routes.ts'
import { djoserActivationRoutes } from './routes/djoser-activation.ts'
import { djoserPasswordRoutes } from './routes/djoser-passwords.ts'
import { djoserUserRouter } from './routes/djoser-users.ts'
import { loginPageRoutes } from './routes/login-pages.ts'
import { registrationRoutes } from './routes/registration.ts'
import { sessionRouter } from './routes/sessions.ts'
import { djoserTokenRoutes, obtainTokenRoute } from './routes/token-login.ts'
import { tokenRouter } from './routes/token-management.ts'

/**
 * A set of accounts endpoints the `accounts` plugin serves, by name; paths are under its prefix.
 * - `users`: djoser's users: `auth/users/` (list, and POST registers), `auth/users/me/`,
 *   `auth/users/{id}/`, and under `auth/users/`: `activation/`, `resend_activation/`,
 *   `set_password/`, `reset_password/`, `reset_password_confirm/`.
 * - `token`: djoser's token login: `auth/token/login/` and `auth/token/logout/`, and knox's
 *   `auth/token/logoutall/`.
 * - `jwt`: simplejwt's `token/`, `token/refresh/`, `token/verify/` and `token/blacklist/`.
 * - `tokens`: the requester's API tokens: `auth/tokens/` and `auth/tokens/{id}/`.
 * - `sessions`: the requester's sessions: `auth/sessions/` and `auth/sessions/{id}/`.
 * - `rest-auth`: dj-rest-auth's `rest-auth/` `login/`, `logout/`, `user/`, `password/change/`,
 *   `password/reset/`, `password/reset/confirm/` and `registration/`.
 * - `permissions`: staff manage grants: `auth/groups/`, `auth/object-permissions/` and
 *   `auth/users/{id}/permissions/`.
 * - `avatar`: `avatar/`, the requester's image (needs "sharp" and a media storage).
 * - `obtain-token`: DRF's obtain_auth_token, at the prefix itself (`POST {prefix}/`).
 * - `login-pages`: the browsable API's `login/` and `logout/` pages (DRF's rest_framework.urls).
 */
export type AccountsRouteGroup =
  | 'users'
  | 'token'
  | 'jwt'
  | 'tokens'
  | 'sessions'
  | 'rest-auth'
  | 'permissions'
  | 'avatar'
  | 'obtain-token'
  | 'login-pages'

/** What a group's routes use on the server besides its `db` and `users`. */
export type ServerPart = 'sessions' | 'jwt' | 'mailer' | 'secretKey'

interface RouteGroup {
  needs: readonly ServerPart[]
  /** Add the group's routes; `media` is where avatars go, when there is a storage. */
  mount(app: FastifyInstance, media: MediaStorage | undefined): void
}

// A password change or an account deletion ends the user's other sessions; mailed links are
// signed with the secret key.
const MAILS_AND_SESSIONS: readonly ServerPart[] = ['sessions', 'mailer', 'secretKey']

const ROUTE_GROUPS: Record<AccountsRouteGroup, RouteGroup> = {
  users: {
    needs: MAILS_AND_SESSIONS,
    mount(app) {
      registrationRoutes(app)
      djoserUserRouter.mount(app)
      djoserPasswordRoutes(app)
      djoserActivationRoutes(app)
    },
  },
  token: { needs: [], mount: djoserTokenRoutes },
  jwt: { needs: ['jwt'], mount: jwtRoutes },
  tokens: { needs: [], mount: (app) => tokenRouter.mount(app) },
  sessions: { needs: ['sessions'], mount: (app) => sessionRouter.mount(app) },
  'rest-auth': { needs: MAILS_AND_SESSIONS, mount: restAuthRoutes },
  permissions: {
    needs: [],
    mount(app) {
      groupRouter.mount(app)
      objectPermissionRouter.mount(app)
      userPermissionRoutes(app)
    },
  },
  avatar: {
    needs: [],
    mount(app, media) {
      if (!media) throw new SetupError('ERR_ACCOUNTS_MEDIA')
      avatarRoutes(app, media)
    },
  },
  'obtain-token': { needs: [], mount: obtainTokenRoute },
  'login-pages': { needs: ['sessions'], mount: loginPageRoutes },
}

/** Every route group, in the order the `accounts` plugin mounts them. */
export const ACCOUNTS_ROUTE_GROUPS = Object.keys(ROUTE_GROUPS) as readonly AccountsRouteGroup[]

/**
 * The groups served when `routes` is not given: an API for apps and scripts (djoser's users and
 * token login, simplejwt, the requester's tokens and sessions, and staff's grants). Not the
 * browser pages, dj-rest-auth's second API for the same things, nor avatars, which need more.
 */
export const DEFAULT_ACCOUNTS_ROUTES: readonly AccountsRouteGroup[] = [
  'users',
  'token',
  'jwt',
  'tokens',
  'sessions',
  'permissions',
]

/** What `group` needs on the server besides `db` and `users`. */
export function routeGroupNeeds(group: AccountsRouteGroup): readonly ServerPart[] {
  return ROUTE_GROUPS[group].needs
}

/** Add `group`'s routes to the plugin's server. */
export function mountRouteGroup(
  app: FastifyInstance,
  group: AccountsRouteGroup,
  media: MediaStorage | undefined,
): void {
  ROUTE_GROUPS[group].mount(app, media)
}
