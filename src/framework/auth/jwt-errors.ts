import { AuthenticationFailed } from '../errors.ts'

/** One entry of InvalidToken's `messages`: which token class refused the token, and why. */
export interface TokenMessage {
  token_class: string
  token_type: string
  message: string
}

/** simplejwt's AuthenticationFailed: 401 whose body names its code, `{"detail", "code"}`. */
export class JwtAuthenticationFailed extends AuthenticationFailed {
  constructor(detail: string, code: string) {
    super(detail)
    this.code = code
  }

  override body(): unknown {
    return { detail: this.message, code: this.code }
  }
}

/**
 * simplejwt's InvalidToken: 401 `{"detail", "code": "token_not_valid"}`, plus the per-class
 * `messages` when the authentication scheme refused the token.
 */
export class InvalidToken extends JwtAuthenticationFailed {
  constructor(
    detail = 'Token is invalid or expired',
    readonly messages?: readonly TokenMessage[],
  ) {
    super(detail, 'token_not_valid')
  }

  override body(): unknown {
    const body = { detail: this.message, code: this.code }
    return this.messages ? { ...body, messages: this.messages } : body
  }
}
