/**
 * The OpenAPI document and an offline API reference page: Swagger UI's files are served by the app
 * itself (from the swagger-ui-dist package), never from a CDN.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { errorResponse } from "../errors.js";

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>starcoach API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;
const ALLOWED = new Set(["swagger-ui.css", "swagger-ui-bundle.js"]);

export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", (c) => c.html(PAGE))
  .get("/docs/assets/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }))
  .get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const asset = ALLOWED.has(file) ? await c.var.deps.docsAsset?.(file) : null;
    if (!asset) return errorResponse(c, 404, "not_found", `No docs asset "${file}".`);
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=86400" });
  });
