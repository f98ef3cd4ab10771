/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** What the login page shows. */
export interface LoginPageOptions {
  /** The site's name, in the title and heading (djoser's SITE_NAME setting). */
  siteName: string
  action: string
  csrfToken: string
  next: string
  username?: string
  error?: string
}

// Self-contained (no CDN, no script): readable on a phone, usable with a keyboard and a reader.
const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:22rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #8a93a5;border-radius:4px;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.65rem;border:0;border-radius:4px;background:#2456c8;color:#fff;font-size:1rem;cursor:pointer}
button:focus,input:focus{outline:3px solid #f0b429;outline-offset:1px}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}`

/** The browsable API's login form (DRF's rest_framework/login.html), CSRF-protected. */
export function loginPage(options: LoginPageOptions): string {
  const error = options.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(options.error)}</p>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Log in | ${escapeHtml(options.siteName)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(options.siteName)}</h1>${error}
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(options.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="id_username">Username or email</label>
<input type="text" name="username" id="id_username" autocomplete="username" autocapitalize="none" required autofocus value="${escapeHtml(options.username ?? '')}"${options.error ? ' aria-describedby="login-error"' : ''}>
<label for="id_password">Password</label>
<input type="password" name="password" id="id_password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form></main></body></html>`
}
