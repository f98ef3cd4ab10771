export { type JwtClaims, newJti, type TokenType, type UntypedClaims } from './claims.ts'
export { importJwtKeys, type JwtKeys } from './jwt-keys.ts'
export { JwtService, type JwtServiceOptions } from './jwt-service.ts'
export {
  JWT_ALGORITHMS,
  JWT_DEFAULTS,
  type JwtAlgorithm,
  type JwtSettings,
} from './jwt-settings.ts'
export { TokenBlacklisted, TokenError, TokenInvalid, TokenWrongType } from './token-errors.ts'
