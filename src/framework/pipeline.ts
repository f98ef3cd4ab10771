import cookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { type AccessPolicy, type ResolvedAccess, resolveAccess } from './access.ts'
import type { CookieSettings } from './auth/cookie-options.ts'
import type { CsrfSettings } from './auth/csrf.ts'
import { ForcedAuthentication, forcedUser } from './auth/forced-authentication.ts'
import type { Authenticated, AuthScheme } from './auth/scheme.ts'
import { type BodyLimits, installBodyParsers } from './body.ts'
import {
  ApiError,
  AuthenticationFailed,
  MethodNotAllowed,
  NotAuthenticated,
  NotFound,
  PermissionDenied,
  Throttled,
} from './errors.ts'
import { andThen, isPromise, type MaybePromise } from './maybe-promise.ts'
import { AllowAny } from './permissions/allow-any.ts'
import { firstObjectDenial, firstViewDenial } from './permissions/evaluate.ts'
import { deniesAsMissing } from './permissions/hide-or-forbid.ts'
import { IsAuthenticated } from './permissions/is-authenticated.ts'
import type { ObjectRow, Permission } from './permissions/permission.ts'
import { anyReadsBody } from './reads-body.ts'
import {
  type BrowsableOptions,
  browsableAssetRoutes,
  installBrowsableApi,
} from './render/browsable/install.ts'
import { installCacheHeaders } from './render/cache-headers.ts'
import { installErrorRendering, sendApiError } from './render/errors.ts'
import type { ExceptionHandler } from './render/exception-handler.ts'
import { formatOf, negotiate } from './render/negotiation.ts'
import { determineActions } from './resources/metadata.ts'
import { siteRoot } from './resources/site-root.ts'
import { API_ROOT_VIEW, viewName } from './resources/view-name.ts'
import { METHODS, type Method, RouteTable } from './route-table.ts'
import { SetupError } from './setup-errors.ts'
import { memoryThrottleStore } from './throttling/memory-throttle-store.ts'
import type { ThrottlingContext } from './throttling/throttling-context.ts'

/*
 * The request pipeline, top to bottom (DRF's APIView.initial and get_object):
 *   negotiate → authenticate → view permissions → throttles      (preParsing, below: before the
 *                                  body is read; preHandler for a request a check reads the body of)
 *   → handler: load the scoped object → object permissions       (checkObjectPermissions)
 *   → validate input → act in a transaction → serialize          (resources/, schema/)
 */

/** The server-wide defaults a route's `config` overrides (DRF's DEFAULT_* settings). */
export interface PipelineOptions {
  defaults?: AccessPolicy
  /** Throttle rates, store and clock; none by default (no scope limited, memory, real time). */
  throttling?: Partial<ThrottlingContext>
  /** The browsable API's login and logout pages; `false` renders JSON only. */
  browsable?: BrowsableOptions | false
  /** Fields per body and the file size cap; 1000 fields and 2 MiB files by default. */
  body?: Partial<BodyLimits>
  /** Origins trusted to post besides the request's own; none by default. */
  csrf?: Partial<CsrfSettings>
  /** Auth cookies Secure on every request (behind a TLS proxy); by default only over TLS. */
  cookies?: Partial<CookieSettings>
  /** Shapes every error body (DRF's EXCEPTION_HANDLER); by default DRF's bodies. */
  exceptionHandler?: ExceptionHandler
}

/** Install the pipeline on a server: every route registered after this goes through it. */
export async function installPipeline(app: FastifyInstance, options: PipelineOptions = {}) {
  const defaults: Required<AccessPolicy> = {
    authentication: options.defaults?.authentication ?? [],
    permissions: options.defaults?.permissions ?? [IsAuthenticated],
    throttles: options.defaults?.throttles ?? [],
  }
  app.decorateRequest('user', null)
  app.decorateRequest('auth', null)
  app.decorateRequest('authenticator', null)
  app.decorateRequest('access', null as unknown as ResolvedAccess)
  app.decorateRequest('format', null)
  app.decorateRequest('checkedObject', null)
  app.decorateRequest('pageNumberLinks', null)
  app.decorate('throttling', {
    rates: options.throttling?.rates ?? {},
    store: options.throttling?.store ?? memoryThrottleStore(),
    now: options.throttling?.now ?? Date.now,
  })
  app.decorate('csrfSettings', { trustedOrigins: [...(options.csrf?.trustedOrigins ?? [])] })
  app.decorate('cookieSettings', { secure: options.cookies?.secure ?? false })
  // The server's root page lists API roots and the API's description, public as they are.
  const rootAccess = resolveAccess({ permissions: [AllowAny] }, defaults, {
    name: API_ROOT_VIEW,
    action: 'list',
  })
  const pageAccess = resolveAccess({}, defaults, { name: 'not-found', action: 'retrieve' })
  // Every path we serve, so an unknown method answers 405 and a missing slash redirects.
  const known = new RouteTable()
  app.decorate('routeTable', known)
  // Before the cookie plugin's own onSend, so a page's CSRF cookie is still sent.
  if (options.browsable !== false) installBrowsableApi(app, options.browsable)
  await app.register(cookie)
  installCacheHeaders(app)
  await installBodyParsers(app, options.body)
  installErrorRendering(app, options.exceptionHandler)

  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config ?? {}
    const view = config.view ?? { name: route.url ?? '', action: String(route.method) }
    const access = resolveAccess(config, defaults, view)
    checkAccess(app, access)
    const pathAccess = config.pathPolicy ? resolveAccess(config.pathPolicy, defaults, view) : access
    if (pathAccess !== access) checkAccess(app, pathAccess)
    // A refusal is answered here rather than thrown through Fastify's error path, so refusing a
    // request costs less than serving one. A callback hook, called back at once when every step
    // answered at once (SQLite, plain checks): no promise per request for Fastify to wait on.
    const gate = (request: FastifyRequest, reply: FastifyReply, done: Done) => {
      varyOnAccept(reply)
      let refusal: MaybePromise<ApiError | undefined>
      try {
        refusal = runPipeline(request, access)
      } catch (err) {
        return failed(reply, done, err)
      }
      // Closures for the promise only: an answer at once makes none.
      if (isPromise(refusal)) {
        refusal.then(
          (answer) => decide(reply, done, answer),
          (err) => failed(reply, done, err),
        )
      } else decide(reply, done, refusal)
    }
    // The checks run before the body is read, so a refusal never pays for reading or parsing it;
    // a request one of them reads the body of (a form's CSRF token, the account a login tries)
    // has them run once the body is parsed instead.
    const bodyReaders = [
      ...access.authentication,
      ...access.permissions,
      ...access.throttles,
    ].filter((check) => check.readsBody !== undefined)
    const beforeBody = (
      request: FastifyRequest,
      reply: FastifyReply,
      _body: unknown,
      done: Done,
    ) => {
      if (bodyReaders.length > 0 && anyReadsBody(bodyReaders, request)) done()
      else gate(request, reply, done)
    }
    route.preParsing = [beforeBody, ...toArray(route.preParsing)]
    if (bodyReaders.length > 0) {
      // runPipeline sets request.access: the gate has run already unless this request waited.
      const afterBody = (request: FastifyRequest, reply: FastifyReply, done: Done) => {
        if (request.access === access) done()
        else gate(request, reply, done)
      }
      route.preHandler = [afterBody, ...toArray(route.preHandler)]
    }
    for (const method of toArray(route.method)) {
      if (!route.url || !(METHODS as readonly string[]).includes(method)) continue
      known.add(method as Method, route.url, {
        access,
        pathAccess,
        body: config.body,
        summary: config.summary,
        serializer: config.serializer,
        loadObject: config.loadObject,
        apiRoot: config.apiRoot,
      })
    }
  })

  if (options.browsable !== false) browsableAssetRoutes(app)

  app.setNotFoundHandler(async (request, reply) => {
    const [path, query] = splitUrl(request.url)
    const sibling = METHODS.map((m) => known.find(m, path)).find((match) => match !== null)
    if (sibling) {
      // The path's parameters, so permissions that read them (roles) decide as on its routes.
      request.params = sibling.params
      varyOnAccept(reply)
      // No action answers this method: the path's own policy does (DRF's viewset policy when
      // `action` is 'metadata' or None), not that of whichever action was found first.
      const refusal = await runPipeline(request, sibling.entry.pathAccess)
      if (refusal) throw refusal
      if (request.method === 'OPTIONS') return describe(request, reply, path, known)
      throw new MethodNotAllowed(request.method)
    }
    if (!path.endsWith('/') && known.methods(`${path}/`).length > 0) {
      // Django's APPEND_SLASH: clients that forget the slash are sent to the real URL.
      return reply.redirect(`${path}/${query}`, 301)
    }
    // The server's root page, unless an app serves `/` itself (then this handler never sees it).
    if (path === '/') {
      varyOnAccept(reply)
      const refusal = await runPipeline(request, rootAccess)
      if (refusal) throw refusal
      reply.header('allow', 'GET, HEAD, OPTIONS')
      if (request.method === 'GET' || request.method === 'HEAD') return siteRoot(request, known)
      if (request.method === 'OPTIONS')
        return { name: viewName(rootAccess.view), description: '', ...METADATA }
      throw new MethodNotAllowed(request.method)
    }
    // The browsable 404 page shows who is logged in, as every other page does; credentials that
    // fail change nothing here, the answer is the 404 either way.
    if (formatOf(request) === 'html') {
      try {
        await authenticate(request, pageAccess)
      } catch {}
    }
    throw new NotFound()
  })
}

type Done = (err?: Error) => void

// A refusal is written (or, for a page, being rendered): Fastify is not called back, so it runs
// neither the handler nor its error path.
function decide(reply: FastifyReply, done: Done, refusal: ApiError | undefined) {
  if (refusal) sendApiError(reply, refusal)
  else done()
}

function failed(reply: FastifyReply, done: Done, err: unknown) {
  if (err instanceof ApiError) sendApiError(reply, err)
  else done(err as Error)
}

// A malformed policy would deny every request at run time, and a scope without its rate would
// never limit: say so at start instead.
function checkAccess(app: FastifyInstance, access: ResolvedAccess) {
  for (const throttle of access.throttles) {
    if (throttle.requiresRate && !app.throttling.rates[throttle.scope]) {
      const route = `${access.view.name} (${access.view.action})`
      throw new SetupError('ERR_THROTTLE_RATE', route, throttle.scope, throttle.scope)
    }
  }
  for (const p of access.permissions) {
    if (typeof p !== 'object' || p === null) {
      throw new SetupError('ERR_PERMISSION_SHAPE', access.view.name)
    }
  }
  for (const scheme of access.authentication) {
    if (typeof scheme?.authenticate !== 'function') {
      throw new SetupError('ERR_SCHEME_SHAPE', access.view.name)
    }
    for (const need of scheme.needs ?? []) {
      if (!app.hasDecorator(need)) {
        throw new SetupError('ERR_SCHEME_NEEDS', access.view.name, scheme.name, need)
      }
    }
  }
}

function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?')
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q)]
}

// The answer depends on Accept (JSON or the browsable page): caches must key on it.
function varyOnAccept(reply: FastifyReply) {
  const vary = reply.getHeader('vary')
  reply.header('vary', vary ? `${vary}, Accept` : 'Accept')
}

// What every view renders and parses, as OPTIONS says (DRF's SimpleMetadata).
const METADATA = {
  renders: ['application/json', 'text/html'],
  parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
}

// DRF's SimpleMetadata: the view, what it renders and parses, and the fields this user may send.
async function describe(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  known: RouteTable,
) {
  reply.header('allow', known.allowHeader(path))
  const { entry } = known.find('GET', path) ?? known.find(known.methods(path)[0] ?? 'GET', path)!
  const actions = await determineActions(request, known, path)
  return {
    name: viewName(request.access.view),
    description: entry.summary ?? '',
    ...METADATA,
    ...(actions && { actions }),
  }
}

/**
 * Authenticate with the route's schemes, in order: the first that recognises the request wins.
 * A scheme that answers at once ("not mine", a SQLite lookup) is not waited on. A user a test
 * client forced comes first, whatever the route's schemes (DRF's force_authenticate).
 */
function authenticate(
  request: FastifyRequest,
  access: ResolvedAccess,
  from = 0,
): MaybePromise<void> {
  if (from === 0) {
    const forced = forcedUser(request)
    if (forced) return authenticatedBy(request, ForcedAuthentication, forced)
  }
  const schemes = access.authentication
  for (let i = from; i < schemes.length; i++) {
    const result = schemes[i].authenticate(request)
    if (isPromise(result)) {
      return result.then((found) =>
        found ? authenticatedBy(request, schemes[i], found) : authenticate(request, access, i + 1),
      )
    }
    if (result) return authenticatedBy(request, schemes[i], result)
  }
}

function authenticatedBy(request: FastifyRequest, scheme: AuthScheme, found: Authenticated) {
  request.user = found.user
  request.auth = found.auth
  request.authenticator = scheme
}

/**
 * Give an authentication error its status: the view's first scheme names the challenge
 * (401 + WWW-Authenticate); with none, DRF answers 403 instead (API.md §2).
 */
function challenge(err: ApiError, access: ResolvedAccess): ApiError {
  const first = access.authentication[0]
  if (first?.challenge) err.headers['www-authenticate'] = first.challenge
  else err.status = 403
  return err
}

function denial(
  request: FastifyRequest,
  access: ResolvedAccess,
  by: Permission,
  obj?: ObjectRow,
): MaybePromise<ApiError> {
  // An anonymous request to a view that could have authenticated it is told to log in.
  if (access.authentication.length > 0 && request.authenticator === null) {
    return challenge(new NotAuthenticated(), access)
  }
  // What the user may not know exists is answered exactly as a miss (hide-or-forbid).
  return andThen(deniesAsMissing(by, request, access.view, obj), (hidden) =>
    hidden ? new NotFound() : new PermissionDenied(by.message),
  )
}

const refused = (err: ApiError) => {
  throw err
}

// A scheme refuses by throwing (DRF's AuthenticationFailed, or Throttled): that refusal is
// returned, with its challenge, like every other refusal of the pipeline.
function authenticateOrChallenge(
  request: FastifyRequest,
  access: ResolvedAccess,
): MaybePromise<ApiError | undefined> {
  try {
    const pending = authenticate(request, access)
    return isPromise(pending)
      ? pending.then(
          () => undefined,
          (err) => challengeOrRethrow(err, access),
        )
      : undefined
  } catch (err) {
    return challengeOrRethrow(err, access)
  }
}

function challengeOrRethrow(err: unknown, access: ResolvedAccess): ApiError {
  if (err instanceof AuthenticationFailed || err instanceof NotAuthenticated) {
    return challenge(err, access)
  }
  // A scheme that takes a password is throttled as a login (Basic): a 429 with its Retry-After.
  if (err instanceof Throttled) return err
  throw err
}

// Each throttle is asked, even after one refused (DRF's check_throttles); the longest wait wins.
function checkThrottles(
  request: FastifyRequest,
  access: ResolvedAccess,
  from = 0,
  longest: number | null = null,
): MaybePromise<Throttled | undefined> {
  let wait = longest
  for (let i = from; i < access.throttles.length; i++) {
    const w = access.throttles[i].check(request, access.view)
    if (isPromise(w)) {
      return w.then((x) =>
        checkThrottles(request, access, i + 1, x === null ? wait : Math.max(wait ?? 0, x)),
      )
    }
    if (w !== null) wait = Math.max(wait ?? 0, w)
  }
  return wait === null ? undefined : new Throttled(Math.ceil(wait))
}

/**
 * Everything before the handler: negotiate, authenticate, view permissions, throttles. A refusal
 * is returned rather than thrown (a throw costs more than the checks), and nothing is awaited
 * that answered at once.
 */
export function runPipeline(
  request: FastifyRequest,
  access: ResolvedAccess,
): MaybePromise<ApiError | undefined> {
  request.access = access
  request.format = negotiate(request)
  return andThen(authenticateOrChallenge(request, access), (refusal) => {
    if (refusal) return refusal
    return andThen(firstViewDenial(access.permissions, request, access.view), (denied) => {
      if (denied) return denial(request, access, denied)
      if (access.throttles.length > 0) return checkThrottles(request, access)
    })
  })
}

/**
 * The object-level checks for a loaded object (DRF's check_object_permissions), under the
 * route's access, or under `access` for an object another route serves (a nested route's parent).
 */
export function checkObjectPermissions(
  request: FastifyRequest,
  obj: ObjectRow,
  access: ResolvedAccess = request.access,
): MaybePromise<void> {
  return andThen(firstObjectDenial(access.permissions, request, access.view, obj), (denied) => {
    if (denied) return andThen(denial(request, access, denied, obj), refused)
    // The browsable page offers edit and delete forms by the same checks, on this object.
    if (access === request.access) request.checkedObject = obj
  })
}

/**
 * The view-level checks of another route's access for this request, a refusal thrown: a nested
 * route checks its parent as a GET of the parent would be checked.
 */
export function checkViewPermissions(
  request: FastifyRequest,
  access: ResolvedAccess,
): MaybePromise<void> {
  return andThen(firstViewDenial(access.permissions, request, access.view), (denied) => {
    if (denied) return andThen(denial(request, access, denied), refused)
  })
}
