/**
 * The characters of Python's `\w` on str (re.UNICODE): exactly Unicode categories L* and N*, and
 * the underscore (str.isalnum() or '_'); combining marks are not among them. For a character
 * class: JavaScript's own `\w` is ASCII-only, even with the `u` flag.
 */
export const PYTHON_WORD_CHARS = String.raw`\p{L}\p{N}_`
