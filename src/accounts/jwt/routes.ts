import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { refuseCrossSite, rotateCsrfToken } from '../../framework/auth/csrf.ts'
import type { JwtClaims, UntypedClaims } from '../../framework/auth/jwt/claims.ts'
import { TokenBlacklisted } from '../../framework/auth/jwt/token-errors.ts'
import { InvalidToken } from '../../framework/auth/jwt-errors.ts'
import { requestData } from '../../framework/body.ts'
import { AuthenticationFailed, ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { issuedBeforeRevocation } from '../credentials/revocations.ts'
import { LOGIN_THROTTLES } from '../login-throttle.ts'
import { prefixedPath } from '../prefixed-path.ts'
import { checkCredentials } from '../user-backend.ts'
import { touchLastLogin } from '../users.ts'
import { withCustomClaims } from './custom-claims.ts'
import { clearJwtCookies, setJwtCookies } from './jwt-cookies.ts'
import { type RefreshTokenStore, refreshTokenStore } from './refresh-token-store.ts'
import { type RefreshedClaims, refreshTokens } from './refresh-tokens.ts'
import { CredentialsBody, presentedRefresh, RefreshBody, VerifyBody } from './token-input.ts'
import { orInvalidToken, withBearerChallenge } from './token-view-errors.ts'

const NO_ACCOUNT = 'No active account found with the given credentials'

// simplejwt's views authenticate nobody and let anyone in: the token in the body is the credential;
// a bad one is 401 (with a Bearer challenge).
const open = (action: string, summary: string, body: TSchema) => ({
  authentication: [],
  permissions: [AllowAny],
  view: { name: 'token', action },
  summary,
  body,
  responses: { 401: null },
})
// Typed as plain schemas: Fastify infers a route's config type, and TypeBox's are too deep.
const Credentials: TSchema = CredentialsBody.input
const Refresh: TSchema = RefreshBody.input
const Verify: TSchema = VerifyBody.input

// Serialized in schema order, which is the anchor's key order.
const Pair = Type.Object({ refresh: Type.String(), access: Type.String() })
const Refreshed = Type.Object({ access: Type.String(), refresh: Type.Optional(Type.String()) })
const Empty = Type.Object({})

/** What the four views share: the refresh token store, and where the token endpoints are. */
interface TokenViews {
  store: RefreshTokenStore
  /** The path of the token endpoints, which the refresh cookie is sent to (and only there). */
  refreshPath: string
}

/** Sign the claims; in cookie mode also set them as cookies. */
async function signed(
  request: FastifyRequest,
  reply: FastifyReply,
  views: TokenViews,
  claims: RefreshedClaims,
) {
  const jwt = request.server.jwt
  const access = await jwt.sign(claims.access)
  const refresh = claims.refresh && (await jwt.sign(claims.refresh))
  if (jwt.settings.authCookie) {
    setJwtCookies(
      request,
      reply,
      views.refreshPath,
      { token: access, exp: claims.access.exp },
      refresh && claims.refresh ? { token: refresh, exp: claims.refresh.exp } : undefined,
    )
  }
  return { access, refresh }
}

/** `POST /token/`: a refresh and an access token for a username (or email) and password. */
async function obtain(request: FastifyRequest, reply: FastifyReply, views: TokenViews) {
  const { username, password } = await CredentialsBody.validate(requestData(request))
  const { db, jwt } = request.server
  // In cookie mode this is a login: another site must not log a browser in (login CSRF).
  if (jwt.settings.authCookie) refuseCrossSite(request)
  const user = await checkCredentials(db, username!, password!)
  if (!user) throw withBearerChallenge(new AuthenticationFailed(NO_ACCOUNT))
  if (jwt.settings.updateLastLogin) await touchLastLogin(db, user.id)
  const hook = request.server.accountsSettings.jwtClaims
  const refresh = await withCustomClaims(jwt.newRefreshClaims(user.id), user, hook)
  const access = jwt.accessClaimsFor(refresh)
  const tokens = await signed(request, reply, views, { access, refresh })
  // A new login gets a new CSRF secret (as Django's login), so a planted one is worthless.
  if (jwt.settings.authCookie) rotateCsrfToken(request, reply)
  return { refresh: tokens.refresh!, access: tokens.access }
}

/**
 * Whether a refresh token is void: blacklisted, or issued before its user's password last
 * changed (a change revokes every refresh token outstanding, without listing them).
 */
async function isRevoked(request: FastifyRequest, store: RefreshTokenStore, claims: UntypedClaims) {
  if (await store.isBlacklisted(claims.jti)) return true
  if (claims.token_type !== 'refresh') return false
  const { user_id, iat } = claims
  if (typeof user_id !== 'string' || typeof iat !== 'number') return false
  return issuedBeforeRevocation(request.server.db, { user_id, iat })
}

async function requireActiveUser(request: FastifyRequest, claims: JwtClaims) {
  const user = await request.server.users.userById(claims.user_id)
  // Beyond simplejwt 5.2: a deactivated or deleted user cannot mint new access tokens.
  if (!user?.is_active) throw withBearerChallenge(new InvalidToken())
}

/** `POST /token/refresh/`: a new access token (and refresh token, when rotating). */
async function refresh(request: FastifyRequest, reply: FastifyReply, views: TokenViews) {
  const presented = await presentedRefresh(request)
  const jwt = request.server.jwt
  const claims = await orInvalidToken(jwt.verify(presented.token, 'refresh'))
  await requireActiveUser(request, claims)
  // Revoked by a password change: answered as simplejwt answers a blacklisted token.
  if (await issuedBeforeRevocation(request.server.db, claims)) {
    throw withBearerChallenge(new InvalidToken(new TokenBlacklisted().message))
  }
  return signed(
    request,
    reply,
    views,
    await orInvalidToken(refreshTokens(jwt, views.store, claims)),
  )
}

/** `POST /token/verify/`: whether any of our tokens (access or refresh) is good. */
async function verify(request: FastifyRequest, store: RefreshTokenStore) {
  const { token } = await VerifyBody.validate(requestData(request))
  const claims = await orInvalidToken(request.server.jwt.verifyUntyped(token!))
  // 400, not 401: simplejwt raises a ValidationError here, and the anchor shows it (README 5).
  if (await isRevoked(request, store, claims)) {
    throw new ValidationError({ non_field_errors: [new TokenBlacklisted().message] })
  }
  return {}
}

/** `POST /token/blacklist/`: that refresh token stops working (a logout). */
async function blacklist(request: FastifyRequest, reply: FastifyReply, views: TokenViews) {
  const { store } = views
  const presented = await presentedRefresh(request)
  const claims = await orInvalidToken(request.server.jwt.verify(presented.token, 'refresh'))
  if (await isRevoked(request, store, claims)) {
    throw withBearerChallenge(new InvalidToken(new TokenBlacklisted().message))
  }
  await store.blacklist(claims)
  if (presented.fromCookie) clearJwtCookies(request, reply, views.refreshPath)
  return {}
}

/**
 * simplejwt's four views at `/token/`, `/token/refresh/`, `/token/verify/` and
 * `/token/blacklist/` under the plugin's prefix; the server carries a JwtService as `app.jwt`.
 */
export function jwtRoutes(app: FastifyInstance) {
  const views: TokenViews = {
    store: refreshTokenStore(app.db, app.jwt),
    refreshPath: prefixedPath(app, '/token/'),
  }
  const ok = (body: object) => ({ response: { 200: body } })
  const obtainConfig = open('obtain', 'A refresh and an access token for a login', Credentials)
  app.post(
    '/token/',
    { config: { ...obtainConfig, throttles: LOGIN_THROTTLES }, schema: ok(Pair) },
    (q, r) => obtain(q, r, views),
  )
  app.post(
    '/token/refresh/',
    {
      config: open('refresh', 'A new access token for a refresh token', Refresh),
      schema: ok(Refreshed),
    },
    (q, r) => refresh(q, r, views),
  )
  app.post(
    '/token/verify/',
    { config: open('verify', 'Whether a token is good', Verify), schema: ok(Empty) },
    (q) => verify(q, views.store),
  )
  app.post(
    '/token/blacklist/',
    { config: open('blacklist', 'Revoke a refresh token (log out)', Refresh), schema: ok(Empty) },
    (q, r) => blacklist(q, r, views),
  )
}
