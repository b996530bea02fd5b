import { defineConfig } from "vitest/config";

/** `npm run test:reliability`: the socket-level suites (bad input, model faults, shutdown, load, crash safety, browser). */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.reliability.ts"],
    globalSetup: ["test/support/build.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
