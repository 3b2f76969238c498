import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { clusterUrl } from "./cluster-access";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrate } from "./migrate";
import { postgresOsUser } from "./os-user";
import { pgBinaries } from "./pg-binaries";
import { startDatabase } from "./start-database";

const root = mkdtempSync(path.join(os.tmpdir(), "ft-embedded-"));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The SQLSTATE a statement (or the login itself) fails with, or "ok". */
async function outcome(url: string, sql = "SELECT 1"): Promise<string> {
  try {
    await withClient(url, (c) => c.query(sql));
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const withoutDatabaseUrl = async <T>(fn: () => Promise<T>): Promise<T> => {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    return await fn();
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
};

describe("embedded PostgreSQL access", () => {
  it("keeps local users out: per-folder superuser password (0600 file), a non-superuser app role, socket in the data folder, loopback only", async () => {
    const dataDir = path.join(root, "fresh");
    const db = await withoutDatabaseUrl(() => startDatabase({ dataDir }));
    try {
      const port = db.cluster!.port;
      // The fixed password of earlier versions opens nothing.
      expect(await outcome(clusterUrl(port, "postgres", "finetrack", "postgres"))).toBe("28P01");
      expect(await outcome(clusterUrl(port, "postgres", "", "postgres"))).not.toBe("ok");

      const secretsFile = path.join(dataDir, "pg-credentials.json");
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);

      // The app's role owns its database and its tables, and is not a superuser.
      const role = await withClient(db.url, async (c) => (await c.query(`SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`)).rows[0]);
      expect(role).toEqual({ name: "finetrack", rolsuper: false, rolcreaterole: false, rolcreatedb: false });
      const owners = await withClient(db.url, async (c) => (await c.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`)).rows);
      expect(owners).toEqual([{ tableowner: "finetrack" }]);
      // Running a program as the postgres OS user takes superuser rights, which the app does not have.
      expect(await outcome(db.url, `COPY (SELECT 1) TO PROGRAM 'id'`)).toBe("42501");
      expect(await outcome(db.url, `COPY "Project" FROM '/etc/passwd'`)).toBe("42501");

      // (unix_socket_directories is visible to superusers only)
      const settings = await withClient(db.cluster!.url(), async (c) => Object.fromEntries((await c.query(`SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'unix_socket_directories', 'unix_socket_permissions', 'password_encryption')`)).rows.map((r) => [r.name, r.setting])));
      expect(settings).toEqual({ listen_addresses: "127.0.0.1", unix_socket_directories: db.cluster!.dataDir, unix_socket_permissions: "0700", password_encryption: "scram-sha-256" });
      expect(existsSync(path.join(db.cluster!.dataDir, `.s.PGSQL.${port}`))).toBe(true);
      expect(existsSync(`/tmp/.s.PGSQL.${port}`)).toBe(false);
      expect(statSync(db.cluster!.dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await db.stop();
    }
  });

  it("moves a cluster made with the old fixed password to a per-folder one and hands its tables to the app role", async () => {
    const dataDir = path.join(root, "legacy");
    const secretsFile = path.join(dataDir, "pg-credentials.json");
    // What earlier versions left: superuser postgres/finetrack, cleartext password auth, the database and its tables owned by postgres.
    mkdirSync(dataDir);
    writeFileSync(secretsFile, JSON.stringify({ superuserPassword: "finetrack", appRole: "finetrack", appPassword: "unused" }), { mode: 0o600 });
    const old = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), secretsFile });
    await withClient(old.url(), (c) => c.query(`CREATE DATABASE finetrack`));
    await migrate(old.url("finetrack"));
    await withClient(old.url("finetrack"), (c) => c.query(`INSERT INTO "Project" (id, slug, name, "updatedAt") VALUES ('p1', 'kept', 'Kept', now())`));
    await old.stop();
    unlinkSync(secretsFile);
    writeFileSync(path.join(dataDir, "pg", "pg_hba.conf"), "local all all password\nhost all all 127.0.0.1/32 password\nhost all all ::1/128 password\n");

    const db = await withoutDatabaseUrl(() => startDatabase({ dataDir }));
    try {
      expect(await outcome(clusterUrl(db.cluster!.port, "postgres", "finetrack", "postgres"))).toBe("28P01");
      expect(await outcome(db.cluster!.url())).toBe("ok");
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      const rows = await withClient(db.url, async (c) => {
        await c.query(`INSERT INTO "Project" (id, slug, name, "updatedAt") VALUES ('p2', 'new', 'New', now())`);
        return (await c.query(`SELECT slug FROM "Project" ORDER BY slug`)).rows;
      });
      expect(rows).toEqual([{ slug: "kept" }, { slug: "new" }]);
      const notOwned = await withClient(db.url, async (c) => (await c.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> 'finetrack'`)).rows);
      expect(notOwned).toEqual([]);
    } finally {
      await db.stop();
    }
  });

  it("runs from binaries the PostgreSQL OS user can execute (as root: a world-readable copy when node_modules is out of its reach)", () => {
    const bins = pgBinaries();
    const ids = postgresOsUser();
    const run = spawnSync(bins.postgres, ["--version"], { ...ids, cwd: "/", encoding: "utf8" });
    expect(run.error?.message ?? run.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
  });
});
