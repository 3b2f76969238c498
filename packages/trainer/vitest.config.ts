import { defineConfig } from "vitest/config";

// The run-logging integration test stores points in a real embedded PostgreSQL.
export default defineConfig({
  test: { globalSetup: ["@finetrack/db/testing/global-setup"], testTimeout: 60_000, hookTimeout: 120_000 },
});
