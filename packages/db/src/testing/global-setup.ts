import { startTestCluster } from "../testing";

/** vitest globalSetup: one real PostgreSQL per test run; each test file clones a migrated template. */
export default async function setup() {
  const cluster = await startTestCluster();
  process.env.FINETRACK_TEST_PG_URL = cluster.url();
  return async () => {
    await cluster.stop();
  };
}
