import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { globalSetup: ["@finetrack/db/testing/global-setup"], testTimeout: 180_000, hookTimeout: 120_000 },
});
