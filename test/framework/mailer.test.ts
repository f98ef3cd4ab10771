import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { activationMail } from '../../src/accounts/mail/templates/activation.ts'
import { passwordResetMail } from '../../src/accounts/mail/templates/password-reset.ts'
import { consoleMailer } from '../../src/framework/mail/console-mailer.ts'
import { textConsoleMailer } from '../../src/framework/mail/text-console-mailer.ts'
import { mailerFromEnv } from '../../src/settings-from-env.ts'

// The mail backends (Django's EMAIL_BACKEND) and the templates' escaping.
const dir = mkdtempSync(join(tmpdir(), 'portcullis-mailer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mail = { to: 'alice@example.com', subject: 'Hello', text: 'Hi there\n', html: '<p>Hi</p>' }

describe('mailerFromEnv', () => {
  it('writes one RFC 822 .eml file per mail, named in sending order', async () => {
    const mailer = mailerFromEnv({ EMAIL_BACKEND: 'file', EMAIL_FILE_PATH: dir })
    for (const n of [1, 2, 3]) await mailer.send({ ...mail, subject: `Mail ${n}` })
    const files = readdirSync(dir).sort()
    expect(files).toHaveLength(3)
    const subjects = files.map(
      (f) => /^Subject: (.*)$/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1],
    )
    expect(subjects).toEqual(['Mail 1', 'Mail 2', 'Mail 3'])
    const eml = readFileSync(join(dir, files[0]!), 'utf8')
    expect(eml).toMatch(/^From: webmaster@localhost$/m)
    expect(eml).toMatch(/^To: alice@example.com$/m)
    expect(eml).toContain('Content-Type: multipart/alternative')
    expect(eml).toContain('Content-Type: text/plain')
    expect(eml).toContain('Content-Type: text/html')
    // Reset links are credentials: the files are for the server's user only.
    expect(statSync(join(dir, files[0]!)).mode & 0o077).toBe(0)
  })

  it('takes the sender from DEFAULT_FROM_EMAIL', async () => {
    const own = join(dir, 'from')
    const env = {
      EMAIL_BACKEND: 'file',
      EMAIL_FILE_PATH: own,
      DEFAULT_FROM_EMAIL: 'no-reply@x.org',
    }
    await mailerFromEnv(env).send(mail)
    const [file] = readdirSync(own)
    expect(readFileSync(join(own, file!), 'utf8')).toMatch(/^From: no-reply@x.org$/m)
  })

  it('prints to the console by default', async () => {
    const lines: string[] = []
    await consoleMailer('webmaster@localhost', (text) => lines.push(text)).send(mail)
    expect(lines.join('')).toMatch(/^Subject: Hello$/m)
    expect(mailerFromEnv({})).toBeDefined()
  })

  it('refuses an unknown backend, and SMTP without EMAIL_URL, at start', () => {
    expect(() => mailerFromEnv({ EMAIL_BACKEND: 'carrier-pigeon' })).toThrow(
      /console, file or smtp/,
    )
    expect(() => mailerFromEnv({ EMAIL_BACKEND: 'smtp' })).toThrow(/EMAIL_URL/)
    expect(
      mailerFromEnv({ EMAIL_BACKEND: 'smtp', EMAIL_URL: 'smtp://u:p@127.0.0.1:2525' }),
    ).toBeDefined()
  })
})

describe('templates', () => {
  it('escape what users control in the HTML part, and keep the text part as written', () => {
    const content = passwordResetMail({
      siteName: 'Site & <Co>',
      url: 'http://example.com/password/reset/confirm/u/t?a="b"',
      username: '<script>alert(1)</script>',
    })
    expect(content.subject).toBe('Password reset on Site & <Co>')
    expect(content.html).not.toContain('<script>')
    expect(content.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(content.html).toContain('Site &amp; &lt;Co&gt;')
    expect(content.html).toContain(
      'href="http://example.com/password/reset/confirm/u/t?a=&quot;b&quot;"',
    )
    expect(content.text).toContain(
      "Your username, in case you've forgotten: <script>alert(1)</script>",
    )
  })

  it('put the link on a line of its own in the text part', () => {
    const content = activationMail({ siteName: 'Portcullis', url: 'http://h/activate/u/t' })
    expect(content.subject).toBe('Account activation on Portcullis')
    expect(content.text.split('\n')).toContain('http://h/activate/u/t')
  })
})

describe('the default mailer (no mail setting)', () => {
  it('prints the sender, recipient, subject and text, with no MIME rendering', async () => {
    const lines: string[] = []
    await textConsoleMailer('webmaster@localhost', (text) => lines.push(text)).send(mail)
    expect(lines).toEqual([
      `From: webmaster@localhost\nTo: alice@example.com\nSubject: Hello\n\nHi there\n\n${'-'.repeat(79)}\n`,
    ])
  })
})
