import { createHash } from "node:crypto";
import path from "node:path";
import { ensureAppDatabase } from "./cluster-access";
import { startEmbeddedPostgres, type EmbeddedCluster } from "./embedded-postgres";
import { readDbEnv } from "./env";
import { migrate } from "./migrate";
import { isRoot, reachableByOthers } from "./os-user";
import { SHARED_ROOT } from "./pg-binaries";

/** Where the cluster lives: the project-local folder, unless root's PostgreSQL user cannot reach it. */
function clusterDir(base: string): string {
  const wanted = path.join(base, "pg");
  if (!isRoot() || reachableByOthers(wanted)) return wanted;
  const id = createHash("sha256").update(path.resolve(wanted)).digest("hex").slice(0, 12);
  return path.join(SHARED_ROOT, id, "pg");
}

export type StartedDatabase = {
  /** The app's URL: a role that owns the database and is not a superuser. */
  url: string;
  embedded: boolean;
  /** The embedded cluster (superuser URL, postmaster pid), when there is one. */
  cluster?: EmbeddedCluster;
  stop(): Promise<void>;
};

export const APP_DATABASE = "finetrack";

/**
 * The server's database: DATABASE_URL when set, else an embedded PostgreSQL whose data lives in
 * FINETRACK_DATA_DIR/pg (reused across starts, restarted if it dies) and whose passwords live in
 * FINETRACK_DATA_DIR/pg-credentials.json (0600). Migrations are applied, as the app's role, before
 * it is returned.
 */
export async function startDatabase(options: { dataDir?: string; port?: number; log?: (line: string) => void } = {}): Promise<StartedDatabase> {
  const env = readDbEnv();
  const log = options.log ?? (() => {});
  if (env.DATABASE_URL) {
    await migrate(env.DATABASE_URL, { log });
    return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const dataDir = clusterDir(options.dataDir ?? env.FINETRACK_DATA_DIR);
  const cluster = await startEmbeddedPostgres({
    dataDir,
    port: options.port ?? env.FINETRACK_PG_PORT ?? 54329,
    secretsFile: path.join(path.dirname(dataDir), "pg-credentials.json"),
    log,
  });
  try {
    const url = await ensureAppDatabase(cluster.port, cluster.secrets, APP_DATABASE);
    await migrate(url, { log });
    log(`embedded PostgreSQL on 127.0.0.1:${cluster.port}, data in ${dataDir}`);
    return { url, embedded: true, cluster, stop: cluster.stop };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
