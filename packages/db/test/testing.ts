import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureAppDatabase } from "../src/cluster-access";
import { connectDb, type Db } from "../src/connect-db";
import { startEmbeddedPostgres, tempDataDir, type EmbeddedCluster } from "../src/embedded-postgres";
import { readDbEnv } from "../src/env";
import { migrate } from "../src/migrate";

export const TEMPLATE_DB = "finetrack_template";

/** A test cluster: its superuser URL (to create and drop databases) and the app role's URL. */
export type TestCluster = { cluster: EmbeddedCluster; adminUrl: string; appUrl: string };

/**
 * Starts a throwaway cluster and a template database that test databases are cloned from, owned
 * and migrated by a non-superuser role, as the server's own database is.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const cluster = await startEmbeddedPostgres({ dataDir: tempDataDir("finetrack-test-pg"), ephemeral: true });
  const appUrl = await ensureAppDatabase(cluster.port, cluster.secrets, TEMPLATE_DB);
  await migrate(appUrl);
  return { cluster, adminUrl: cluster.url(), appUrl };
}

let ownCluster: Promise<TestCluster> | undefined;

/** The test cluster's URLs: the one vitest's global setup started, else one for this process. */
async function testUrls(): Promise<{ adminUrl: string; appUrl: string }> {
  const env = readDbEnv();
  if (env.FINETRACK_TEST_PG_URL && env.FINETRACK_TEST_PG_APP_URL) return { adminUrl: env.FINETRACK_TEST_PG_URL, appUrl: env.FINETRACK_TEST_PG_APP_URL };
  ownCluster ??= startTestCluster().then((started) => {
    process.once("exit", () => void started.cluster.stop());
    return started;
  });
  return ownCluster;
}

/**
 * A fresh, fully migrated database on a real PostgreSQL, for one test file or test (`empty`:
 * no migrations applied).
 * `close()` disconnects and drops it.
 */
export async function createTestDb(options: { empty?: boolean } = {}): Promise<Db> {
  const { adminUrl: admin, appUrl } = await testUrls();
  const role = decodeURIComponent(new URL(appUrl).username);
  const name = `test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  client.on("error", () => {});
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${options.empty ? "template0" : TEMPLATE_DB}" OWNER "${role}"`);
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
  const url = new URL(appUrl);
  url.pathname = `/${name}`;
  const db = connectDb(url.toString(), { poolSize: 5 });
  const close = db.close;
  return {
    ...db,
    async close() {
      await close();
      const c = new pg.Client({ connectionString: admin });
      c.on("error", () => {});
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** Statements sent to PostgreSQL while counting, from every pool and client of this process (Prisma's included). */
export type QueryLog = { readonly statements: string[]; stop(): void };

/**
 * Records every statement any pg client of this process sends (raw pools and Prisma's adapter both
 * go through `pg.Client#query`), so a test can bound the round trips a request costs.
 */
export function recordQueries(): QueryLog {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    statements.push(typeof first === "string" ? first : (first?.text ?? String(first)));
    return original.apply(this, args);
  };
  return {
    statements,
    stop() {
      proto.query = original;
    },
  };
}
