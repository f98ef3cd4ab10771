import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { SetupError } from '../framework/setup-errors.ts'
import { type AccountsSettingsInput, accountsSettings } from './accounts-settings.ts'
import {
  ACCOUNTS_ROUTE_GROUPS,
  type AccountsRouteGroup,
  DEFAULT_ACCOUNTS_ROUTES,
  mountRouteGroup,
  routeGroupNeeds,
} from './route-groups.ts'

/** What `app.register(accounts, { prefix, ... })` takes: the route groups, and its settings. */
export interface AccountsOptions extends AccountsSettingsInput {
  /** The route groups served under the prefix, and no others (default: DEFAULT_ACCOUNTS_ROUTES). */
  routes?: readonly AccountsRouteGroup[]
}

// A list of known names, each once: a typo or a single string stops the start.
function routeGroups(routes: unknown): AccountsRouteGroup[] {
  const known = ACCOUNTS_ROUTE_GROUPS.join(', ')
  if (!Array.isArray(routes)) throw new SetupError('ERR_ACCOUNTS_ROUTES', String(routes), known)
  for (const group of routes) {
    if (!ACCOUNTS_ROUTE_GROUPS.includes(group)) {
      throw new SetupError('ERR_ACCOUNTS_ROUTES', String(group), known)
    }
  }
  return [...new Set(routes as AccountsRouteGroup[])]
}

// Checked before any route is added, so a server missing a part stops at start, not per request.
function requireServerParts(app: FastifyInstance, group: AccountsRouteGroup) {
  for (const part of ['db', 'users', ...routeGroupNeeds(group)]) {
    if (!app.hasDecorator(part)) throw new SetupError('ERR_ACCOUNTS_NEEDS', group, part)
  }
}

async function install(app: FastifyInstance, options: AccountsOptions) {
  const { routes = DEFAULT_ACCOUNTS_ROUTES, tokenTtlSeconds, djoser, loginRedirectUrl } = options
  const groups = routeGroups(routes)
  for (const group of groups) requireServerParts(app, group)
  const settings = accountsSettings({
    tokenTtlSeconds,
    tokenLimitPerUser: options.tokenLimitPerUser,
    jwtClaims: options.jwtClaims,
    djoser,
    loginRedirectUrl,
    logoutOnGet: options.logoutOnGet,
    uploads: options.uploads,
    // Avatars go where the portcullis plugin serves `/media/` from, unless told otherwise.
    media: options.media ?? (app.hasDecorator('media') ? app.media : undefined),
  })
  app.decorate('accountsSettings', settings)
  for (const group of groups) mountRouteGroup(app, group, settings.media)
}

/**
 * The accounts app as a Fastify plugin: `app.register(accounts, { prefix: '/api', routes:
 * ['users', 'jwt'] })` serves those route groups under the prefix, and no others. Register it
 * after the `portcullis` plugin, whose `users` (`accountsUsers()`), sessions, JWT service and
 * mailer it uses. Its settings hold for the routes it adds; register it once per prefix.
 */
export const accounts: FastifyPluginAsync<AccountsOptions> = Object.assign(install, {
  // Not wrapped with fastify-plugin: its own context, so Fastify's `prefix` applies to it.
  [Symbol.for('fastify.display-name')]: 'portcullis-accounts',
})
