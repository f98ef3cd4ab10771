import type { FastifyRequest } from 'fastify'
import { ValidationError } from '../../framework/errors.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { checkToken, decodeUid, type TokenPurpose } from '../credentials/one-time-token.ts'
import { secretKeyOf } from '../credentials/secret-key.ts'
import type { UserRow } from '../tables.ts'
import { userRowById } from '../user-changes.ts'
import type { DjoserSettings } from './djoser-settings.ts'

/** djoser's message for a uid that names no user. */
export const INVALID_UID = "Invalid user id or user doesn't exist."
/** djoser's message for a token that is not (or no longer) good for the user. */
export const INVALID_TOKEN = 'Invalid token for given user.'

/** The `uid` and `token` fields of djoser's UidAndTokenSerializer. */
export const UidAndTokenFields = {
  uid: f.string(),
  token: f.string(),
}

const UidAndToken = resourceSchema('uid and token', UidAndTokenFields)

/** The user a `uid` names, or djoser's 400 `{"uid": [...]}`. */
export async function userForUid(request: FastifyRequest, uid: string): Promise<UserRow> {
  const id = decodeUid(uid)
  const user = id === null ? undefined : await userRowById(request.server.db, id)
  if (!user) throw new ValidationError({ uid: [INVALID_UID] })
  return user
}

/** Whether `token` is good for this user, purpose and moment. */
export function tokenIsValid(
  request: FastifyRequest,
  user: UserRow,
  token: string,
  purpose: TokenPurpose,
  settings: DjoserSettings,
): boolean {
  const secret = secretKeyOf(request.server)
  return checkToken(user, token, secret, Date.now(), settings.tokenTimeoutSeconds, purpose)
}

/** Validate `{uid, token}` as djoser does: fields, then the uid, then the token; the user. */
export async function validateUidAndToken(
  request: FastifyRequest,
  data: unknown,
  purpose: TokenPurpose,
  settings: DjoserSettings,
): Promise<UserRow> {
  const { uid, token } = await UidAndToken.validate(data)
  const user = await userForUid(request, uid!)
  if (!tokenIsValid(request, user, token!, purpose, settings)) {
    throw new ValidationError({ token: [INVALID_TOKEN] })
  }
  return user
}
