/** The sign-in page a server with an access token shows instead of any page (src/http/middleware/auth.ts). */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** `next`: the same-site path to return to after signing in; `error`: why the last try failed. */
export function loginPage(next: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Sign in · starcoach</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body><main id="main"><section class="card login">
<h1>Sign in</h1>
<p>This starcoach server needs its access token (<code>STARCOACH_API_TOKEN</code>).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<div class="field"><label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus></div>
<button class="primary" type="submit">Sign in</button>
</form></section></main></body></html>`;
}
