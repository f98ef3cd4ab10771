import { describe, expect, it } from 'vitest'
import { accountsSettings } from '../../src/accounts/index.ts'
import { safeNext } from '../../src/accounts/routes/login-pages.ts'
import { serverSettingsFromEnv } from '../../src/settings-from-env.ts'

// The accounts settings a library user passes to the accounts plugin, and the reference server's.
describe('accountsSettings', () => {
  it("defaults to the library's choices: `/` after login, tokens until logout, djoser's", () => {
    const settings = accountsSettings()
    expect(settings.loginRedirectUrl).toBe('/')
    expect(settings.tokenTtlSeconds).toBeNull()
    expect(settings.djoser).toEqual({
      sendActivationEmail: false,
      passwordChangedEmailConfirmation: false,
      tokenTimeoutSeconds: 259_200,
      domain: '',
      siteName: 'Portcullis',
    })
    expect(settings.uploads).toEqual({ maxBytes: 2 * 1024 * 1024 })
  })

  it('stops the start on a token lifetime that is not a positive number', () => {
    expect(() => accountsSettings({ tokenTtlSeconds: 0 })).toThrow(/tokenTtlSeconds/)
    expect(() => accountsSettings({ tokenTtlSeconds: Number.NaN })).toThrow(/tokenTtlSeconds/)
  })

  it("is the reference server's from its environment, /bucketlists/ after login by default", () => {
    const base = { SECRET_KEY: 'k'.repeat(48) }
    expect(serverSettingsFromEnv(base).accounts.loginRedirectUrl).toBe('/bucketlists/')
    const given = serverSettingsFromEnv({
      ...base,
      LOGIN_REDIRECT_URL: '/home/',
      TOKEN_TTL: '3600',
      SEND_ACTIVATION_EMAIL: 'yes',
      SITE_NAME: 'Example',
    }).accounts
    expect(given.loginRedirectUrl).toBe('/home/')
    expect(given.tokenTtlSeconds).toBe(3600)
    expect(given.djoser.sendActivationEmail).toBe(true)
    expect(given.djoser.siteName).toBe('Example')
  })
})

describe('safeNext', () => {
  it('falls back to the login redirect it is given for a missing or unsafe next', () => {
    for (const next of [undefined, '', 'https://evil.example/', '//evil.example', '/\\evil']) {
      expect(safeNext(next, '/home/')).toBe('/home/')
    }
    expect(safeNext('/bucketlists/1/', '/home/')).toBe('/bucketlists/1/')
  })
})
