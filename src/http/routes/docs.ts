/**
 * The OpenAPI document and an offline API reference page: Swagger UI's files are served by the app
 * itself (from the swagger-ui-dist package), never from a CDN.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { errorResponse } from "../errors.js";

/** A request sent from this page carries this header: it is graded as usual and not stored. */
export const EXAMPLE_HEADER = "x-starcoach-example";

/** Whether a request came from the API reference page's "Try it out" (see EXAMPLE_HEADER). */
export function isExampleRequest(header: (name: string) => string | undefined): boolean {
  return header(EXAMPLE_HEADER) === "1";
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>starcoach API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/docs/assets/docs.css"></head>
<body>
<header class="docs-bar">
<a class="docs-brand" href="/"><span aria-hidden="true">★</span> starcoach</a>
<nav aria-label="Main"><a href="/">Practise</a><a href="/history">History</a><a href="/docs" aria-current="page">API</a></nav>
</header>
<main>
<p class="docs-note">“Try it out” sends real requests to this server. Gradings sent from this page are marked as examples and not stored: they do not appear in your history.</p>
<div id="swagger-ui"></div>
</main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body></html>`;

// Every request from "Try it out" is marked as an example, so the server does not store it.
const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  requestInterceptor: function (req) { req.headers["${EXAMPLE_HEADER}"] = "1"; return req; } });`;

/** The bar that leads back to the app, in the app's colours (Swagger UI's own stylesheet styles the rest). */
const DOCS_CSS = `body{margin:0}
.docs-bar{display:flex;align-items:center;gap:1.25rem;flex-wrap:wrap;padding:.7rem 2rem;background:#fff;border-bottom:1px solid #e2e0d9;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.docs-bar a{color:#5b6070;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
.docs-bar a:hover,.docs-bar a[aria-current="page"]{color:#1d1f24;border-bottom-color:#3d3bb8}
.docs-bar a:focus-visible{outline:3px solid #3d3bb8;outline-offset:2px}
.docs-bar .docs-brand{font-weight:700;font-size:1.1rem;color:#1d1f24}.docs-brand span{color:#3d3bb8}
.docs-bar nav{display:flex;gap:1rem}
.docs-note{max-width:1460px;margin:1rem auto 0;padding:0 20px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#3b4151}`;

const ALLOWED = new Set(["swagger-ui.css", "swagger-ui-bundle.js"]);

export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", (c) => c.html(PAGE))
  .get("/docs/assets/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }))
  .get("/docs/assets/docs.css", (c) => c.body(DOCS_CSS, 200, { "content-type": "text/css; charset=utf-8" }))
  .get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const asset = ALLOWED.has(file) ? await c.var.deps.docsAsset?.(file) : null;
    if (!asset) return errorResponse(c, 404, "not_found", `No docs asset "${file}".`);
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=86400" });
  });
