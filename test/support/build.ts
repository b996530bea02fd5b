/**
 * vitest globalSetup: build dist/ (the page script and stylesheet the app serves, and the CLI the
 * process tests run) before any test file loads, so the suites work on a fresh clone.
 */
import { build } from "../../scripts/build.js";

export default async function setup(): Promise<void> {
  await build();
}
