import { startTestCluster } from "./testing";

/** vitest globalSetup: one real PostgreSQL per test run; each test file clones a migrated template. */
export default async function setup() {
  const { cluster, adminUrl, appUrl } = await startTestCluster();
  process.env.FINETRACK_TEST_PG_URL = adminUrl;
  process.env.FINETRACK_TEST_PG_APP_URL = appUrl;
  return async () => {
    await cluster.stop();
  };
}
