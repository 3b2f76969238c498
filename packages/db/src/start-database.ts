import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { readDbEnv } from "./env";
import { migrate } from "./migrate";

/** Every existing ancestor must be searchable by others: as root, PostgreSQL runs as "postgres". */
function reachableByPostgresUser(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      // does not exist yet: created later with 0755
    }
    if (d === path.dirname(d)) return true;
  }
}

/** Where the cluster lives: the project-local folder, unless root's PostgreSQL user cannot reach it. */
function clusterDir(base: string): string {
  const wanted = path.join(base, "pg");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || reachableByPostgresUser(base)) return wanted;
  const id = createHash("sha256").update(path.resolve(wanted)).digest("hex").slice(0, 12);
  return path.join("/var/lib/finetrack", id, "pg");
}

export type StartedDatabase = { url: string; embedded: boolean; stop(): Promise<void> };

async function ensureDatabaseExists(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * The server's database: DATABASE_URL when set, else an embedded PostgreSQL whose data lives in
 * FINETRACK_DATA_DIR/pg (reused across starts). Migrations are applied before it is returned.
 */
export async function startDatabase(options: { dataDir?: string; port?: number; log?: (line: string) => void } = {}): Promise<StartedDatabase> {
  const env = readDbEnv();
  const log = options.log ?? (() => {});
  if (env.DATABASE_URL) {
    await migrate(env.DATABASE_URL, { log });
    return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const dataDir = clusterDir(options.dataDir ?? env.FINETRACK_DATA_DIR);
  const cluster = await startEmbeddedPostgres({ dataDir, port: options.port ?? env.FINETRACK_PG_PORT ?? 54329 });
  try {
    await ensureDatabaseExists(cluster.url(), "finetrack");
    const url = cluster.url("finetrack");
    await migrate(url, { log });
    log(`embedded PostgreSQL on 127.0.0.1:${cluster.port}, data in ${dataDir}`);
    return { url, embedded: true, stop: cluster.stop };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
