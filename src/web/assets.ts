/**
 * The page's script and stylesheet, as built by scripts/build.ts (dist/client/assets.js), with a
 * content hash for the URLs so a stale browser cache never mixes versions. One module for both
 * runtimes: esbuild inlines it into the Node bundle, wrangler into the Worker.
 */
import { APP_CSS, APP_JS, ASSET_VERSION } from "../../dist/client/assets.js";

export { ASSET_VERSION };

export const ASSETS: Record<string, { body: string; type: string }> = {
  "app.css": { body: APP_CSS, type: "text/css; charset=utf-8" },
  "app.js": { body: APP_JS, type: "text/javascript; charset=utf-8" },
};
