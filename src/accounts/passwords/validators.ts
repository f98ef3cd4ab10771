import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { gunzipSync } from 'node:zlib'
import { PYTHON_WORD_CHARS } from '../python-word.ts'

/** The user fields the similarity check compares a password against. */
export interface PasswordUser {
  username?: string | null
  email?: string | null
  name?: string | null
}

const MIN_LENGTH = 8
const MAX_SIMILARITY = 0.7
// Django's AbstractUser verbose names, in the order Django would report the first match.
const USER_ATTRIBUTES = [
  ['username', 'username'],
  ['email', 'email address'],
  ['name', 'name'],
] as const

// Python's len() and SequenceMatcher work on code points, not UTF-16 units.
const codePoints = (s: string): string[] => Array.from(s)

/** Python's difflib.SequenceMatcher(a=a, b=b).quick_ratio(): an upper bound on ratio(). */
export function quickRatio(a: string[], b: string[]): number {
  const bCount = new Map<string, number>()
  for (const ch of b) bCount.set(ch, (bCount.get(ch) ?? 0) + 1)
  let matches = 0
  for (const ch of a) {
    const available = bCount.get(ch) ?? 0
    bCount.set(ch, available - 1)
    if (available > 0) matches++
  }
  const length = a.length + b.length
  return length ? (2 * matches) / length : 1
}

// Django's fast path: a value this much shorter than the password cannot reach max_similarity.
function exceedsMaximumLengthRatio(passwordLength: number, valueLength: number): boolean {
  const lengthBoundSimilarity = (MAX_SIMILARITY / 2) * passwordLength
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity
}

// Python's re.split(r'\W+', ...) on str.
const NON_WORD = new RegExp(`[^${PYTHON_WORD_CHARS}]+`, 'u')

function similarityError(password: string, user: PasswordUser): string | undefined {
  const pwd = codePoints(password.toLowerCase())
  for (const [attribute, verboseName] of USER_ATTRIBUTES) {
    const value = user[attribute]
    if (!value || typeof value !== 'string') continue
    const valueLower = value.toLowerCase()
    for (const part of [...valueLower.split(NON_WORD), valueLower]) {
      const partChars = codePoints(part)
      if (exceedsMaximumLengthRatio(pwd.length, partChars.length)) continue
      if (quickRatio(pwd, partChars) >= MAX_SIMILARITY) {
        return `The password is too similar to the ${verboseName}.`
      }
    }
  }
  return undefined
}

let commonPasswords: Set<string> | undefined

// Loaded on first use: the list is large and only password changes need it.
function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const require = createRequire(import.meta.url)
    const lists = require('zxcvbn/lib/frequency_lists.js') as { passwords: string[] }
    // Django's own list (copied from Debian's python3-django 3.2.25) makes us refuse exactly
    // what the DRF server refuses; zxcvbn's 30,000 add what Django's list misses.
    const django = gunzipSync(readFileSync(new URL('./common-passwords.txt.gz', import.meta.url)))
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    commonPasswords = new Set([...django, ...lists.passwords])
  }
  return commonPasswords
}

/** How many entries the common-password list holds. */
export function commonPasswordCount(): number {
  return loadCommonPasswords().size
}

/** Django's four default validators, in AUTH_PASSWORD_VALIDATORS order; [] means acceptable. */
export function validatePassword(password: string, user: PasswordUser): string[] {
  const errors: string[] = []
  const similar = similarityError(password, user)
  if (similar) errors.push(similar)
  if (codePoints(password).length < MIN_LENGTH) {
    errors.push(`This password is too short. It must contain at least ${MIN_LENGTH} characters.`)
  }
  if (loadCommonPasswords().has(password.toLowerCase().trim())) {
    errors.push('This password is too common.')
  }
  // Python's str.isdigit(): non-empty and every character a decimal digit.
  if (/^\p{Nd}+$/u.test(password)) errors.push('This password is entirely numeric.')
  return errors
}
