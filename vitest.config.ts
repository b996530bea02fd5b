import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/support/build.ts"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
