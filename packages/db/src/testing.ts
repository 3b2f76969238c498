import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectDb, type Db } from "./connect-db";
import { startEmbeddedPostgres, tempDataDir, type EmbeddedCluster } from "./embedded-postgres";
import { readDbEnv } from "./env";
import { migrate } from "./migrate";

export const TEMPLATE_DB = "finetrack_template";

/** Starts a throwaway cluster and a migrated template database that test databases are cloned from. */
export async function startTestCluster(): Promise<EmbeddedCluster> {
  const cluster = await startEmbeddedPostgres({ dataDir: tempDataDir("finetrack-test-pg"), ephemeral: true });
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  await migrate(cluster.url(TEMPLATE_DB));
  return cluster;
}

let ownCluster: Promise<EmbeddedCluster> | undefined;

/** The cluster's admin URL: the one vitest's global setup started, else one for this process. */
async function adminUrl(): Promise<string> {
  const fromSetup = readDbEnv().FINETRACK_TEST_PG_URL;
  if (fromSetup) return fromSetup;
  ownCluster ??= startTestCluster().then((cluster) => {
    process.once("exit", () => void cluster.stop());
    return cluster;
  });
  return (await ownCluster).url();
}

/**
 * A fresh, fully migrated database on a real PostgreSQL, for one test file or test (`empty`:
 * no migrations applied).
 * `close()` disconnects and drops it.
 */
export async function createTestDb(options: { empty?: boolean } = {}): Promise<Db> {
  const admin = await adminUrl();
  const name = `test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${options.empty ? "template0" : TEMPLATE_DB}"`);
        break;
      } catch (error) {
        // Two clones of one template at the same instant can collide; a short retry settles it.
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = connectDb(url.toString(), { poolSize: 5 });
  const close = db.close;
  return {
    ...db,
    async close() {
      await close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}
