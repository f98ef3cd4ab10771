import { AuthenticationFailed } from '../errors.ts'
import { andThen } from '../maybe-promise.ts'
import { authorizationParts } from './authorization-header.ts'
import type { AuthScheme } from './scheme.ts'

// A key is printable ASCII. Anything else is no key of ours, but DRF names it "invalid
// characters" only when its bytes are not UTF-8 (Node hands a header over byte for byte).
const PRINTABLE = /^[\x21-\x7e]+$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

function isUtf8(header: string): boolean {
  try {
    utf8.decode(Buffer.from(header, 'latin1'))
    return true
  } catch {
    return false
  }
}

/** Options of `tokenScheme`: the header keyword (DRF's `TokenAuthentication.keyword`). */
export interface TokenSchemeOptions {
  keyword?: string
}

/** `Authorization: <keyword> <key>` over hashed, per-device tokens (DRF's TokenAuthentication). */
export function tokenScheme(options: TokenSchemeOptions = {}): AuthScheme {
  const keyword = options.keyword ?? 'Token'
  const lower = keyword.toLowerCase()
  return {
    name: 'token',
    needs: ['users'],
    challenge: keyword,
    vary: ['Authorization'],
    // Not async: on SQLite the whole lookup answers without a turn of the event loop.
    authenticate: (request) => {
      const parts = authorizationParts(request, lower)
      if (!parts) return null
      if (parts.length === 1) {
        throw new AuthenticationFailed('Invalid token header. No credentials provided.')
      }
      if (parts.length > 2) {
        throw new AuthenticationFailed(
          'Invalid token header. Token string should not contain spaces.',
        )
      }
      if (!PRINTABLE.test(parts[1])) {
        throw new AuthenticationFailed(
          isUtf8(parts[1])
            ? 'Invalid token.'
            : 'Invalid token header. Token string should not contain invalid characters.',
        )
      }
      return andThen(request.server.users.userForToken(parts[1]), (found) => {
        if (!found) throw new AuthenticationFailed('Invalid token.')
        if (!found.user.is_active) throw new AuthenticationFailed('User inactive or deleted.')
        return { user: found.user, auth: found.token }
      })
    },
  }
}

/** `Authorization: Token <key>`, DRF's default keyword. */
export const TokenScheme: AuthScheme = tokenScheme()
