import { describe, expect, it } from 'vitest'
import { JWT_DEFAULTS } from '../../../src/framework/index.ts'
import { jwtSettingsFromEnv } from '../../../src/settings-from-env.ts'

// Every JWT variable is read in one place, with simplejwt's defaults.
const SECRET = 'the-server-secret-key-the-server-secret-key'

describe('jwtSettingsFromEnv', () => {
  it("defaults to simplejwt's: HS256 with the server secret, 5 minutes, 1 day, no leeway", () => {
    expect(jwtSettingsFromEnv({}, SECRET)).toEqual({
      ...JWT_DEFAULTS,
      signingKey: SECRET,
      verifyingKey: undefined,
      audience: undefined,
      issuer: undefined,
    })
    expect(JWT_DEFAULTS).toMatchObject({
      algorithm: 'HS256',
      accessLifetimeSeconds: 300,
      refreshLifetimeSeconds: 86_400,
      leewaySeconds: 0,
      rotateRefreshTokens: false,
      blacklistAfterRotation: true,
      refreshGraceSeconds: 10,
      updateLastLogin: false,
      authCookie: false,
    })
  })

  it('reads every variable', () => {
    const settings = jwtSettingsFromEnv(
      {
        JWT_ACCESS_SECONDS: '60',
        JWT_REFRESH_SECONDS: '3600',
        JWT_LEEWAY_SECONDS: '5',
        JWT_AUDIENCE: 'api',
        JWT_ISSUER: 'https://auth.example',
        ROTATE_REFRESH_TOKENS: '1',
        BLACKLIST_AFTER_ROTATION: '0',
        REFRESH_GRACE_SECONDS: '0',
        JWT_UPDATE_LAST_LOGIN: '1',
        JWT_AUTH_COOKIE: '1',
      },
      SECRET,
    )
    expect(settings).toMatchObject({
      accessLifetimeSeconds: 60,
      refreshLifetimeSeconds: 3600,
      leewaySeconds: 5,
      audience: 'api',
      issuer: 'https://auth.example',
      rotateRefreshTokens: true,
      blacklistAfterRotation: false,
      refreshGraceSeconds: 0,
      updateLastLogin: true,
      authCookie: true,
    })
  })

  it.each([
    [{ JWT_ACCESS_SECONDS: '0' }, /JWT_ACCESS_SECONDS must be a whole number/],
    [{ JWT_REFRESH_SECONDS: '1.5' }, /JWT_REFRESH_SECONDS/],
    [{ JWT_LEEWAY_SECONDS: '-1' }, /JWT_LEEWAY_SECONDS/],
    [{ ROTATE_REFRESH_TOKENS: 'yes' }, /ROTATE_REFRESH_TOKENS must be 1 or 0/],
    [{ JWT_ALGORITHM: 'none' }, /JWT_ALGORITHM must be one of HS256, RS256, ES256/],
    [{ JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEY_FILE: '/nonexistent.pem' }, /cannot read/],
  ])('stops the start on a bad value: %o', (env, message) => {
    expect(() => jwtSettingsFromEnv(env, SECRET)).toThrow(message)
  })
})
