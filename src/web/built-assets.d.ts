// dist/client/assets.js is written by `npm run build` (scripts/build.ts); this types it before the first build.
declare module "*/dist/client/assets.js" {
  export const APP_JS: string;
  export const APP_CSS: string;
  export const ASSET_VERSION: string;
}
