// wrangler.toml's [[rules]] type = "Text" bundles *.md files as strings (the rubric prompt).
declare module "*.md" {
  const text: string;
  export default text;
}
