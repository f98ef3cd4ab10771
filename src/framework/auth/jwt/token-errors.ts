/**
 * Why a token was refused (simplejwt's TokenError); the message is simplejwt's, word for word,
 * since clients read it. Only the HTTP layer turns these into 401s.
 */
export class TokenError extends Error {
  override name = 'TokenError'
}

/** A bad signature, a wrong algorithm, an expired or malformed token, a missing claim. */
export class TokenInvalid extends TokenError {
  constructor(message = 'Token is invalid or expired') {
    super(message)
  }
}

/** A valid token of the other type: a refresh token used as an access token, or the reverse. */
export class TokenWrongType extends TokenError {
  constructor() {
    super('Token has wrong type')
  }
}

/** A refresh token that was blacklisted (logged out, rotated, or its family revoked). */
export class TokenBlacklisted extends TokenError {
  constructor() {
    super('Token is blacklisted')
  }
}
