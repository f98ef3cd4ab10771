import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// Django's UnicodeUsernameValidator (issue 17, item 11): r'^[\w.@+-]+\Z' with Python's Unicode \w
// (letters and digits of any script, and "_"; no combining marks), at most 150 code points; the
// stored name is NFKC-normalized as create_user does. Bodies as the DRF anchor answers.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

const INVALID =
  'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'
let n = 0
const register = (username: string) =>
  t.request({
    method: 'POST',
    url: '/api/auth/users/',
    json: { username, email: `u${++n}@example.com`, password: PASSWORD },
  })

describe('usernames of any script', () => {
  it.each(['jöhn', '用户', 'Ζεύς', 'Σωκράτης.dev@home', 'x٣'])(
    'registers %s and logs in with it',
    async (username) => {
      const res = await register(username)
      expect(res.statusCode).toBe(201)
      expect(res.json().username).toBe(username)
      const login = await t.request({
        method: 'POST',
        url: '/api/auth/token/login/',
        json: { username, password: PASSWORD },
      })
      expect(login.statusCode).toBe(200)
    },
  )

  it('registers through rest-auth too', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/rest-auth/registration/',
      json: {
        username: 'Ζεύς2',
        email: 'zeus2@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
      },
    })
    expect(res.statusCode).toBe(201)
  })

  it.each(['e\u0301x', 'a b', 'bad!', 'tab\tname', '\u200bzero'])('refuses %j', async (name) => {
    const res = await register(name)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ username: [INVALID] })
  })

  it('counts the 150-character limit in code points', async () => {
    const script = '\u{1D49C}' // MATHEMATICAL SCRIPT CAPITAL A: a letter, two UTF-16 units
    expect((await register(script.repeat(150))).statusCode).toBe(201)
    const long = await register(script.repeat(151))
    expect(long.statusCode).toBe(400)
    expect(long.json()).toEqual({
      username: ['Ensure this field has no more than 150 characters.'],
    })
  })

  it('stores the NFKC form, so a look-alike of a taken name is taken', async () => {
    const sup = await register('a²')
    expect(sup.statusCode).toBe(201)
    expect(sup.json().username).toBe('a2')
    expect((await register('john')).statusCode).toBe(201)
    const wide = await register('ｊｏｈｎ')
    expect(wide.statusCode).toBe(400)
    expect(wide.json()).toEqual({ username: ['A user with that username already exists.'] })
  })
})
