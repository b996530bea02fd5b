/** Static assets of the page, versioned by content so a stale browser cache never mixes versions. */
import { APP_JS } from "./client.js.js";
import { REWRITE_CSS } from "./rewrite.css.js";
import { APP_CSS as BASE_CSS } from "./style.css.js";

const APP_CSS = BASE_CSS + REWRITE_CSS;

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export const ASSET_VERSION = fnv1a(APP_CSS + APP_JS);

export const ASSETS: Record<string, { body: string; type: string }> = {
  "app.css": { body: APP_CSS, type: "text/css; charset=utf-8" },
  "app.js": { body: APP_JS, type: "text/javascript; charset=utf-8" },
};
