import { defineConfig } from "vitest/config";

// `npm test` here is the end-to-end suite: a production build driven in Chromium.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
