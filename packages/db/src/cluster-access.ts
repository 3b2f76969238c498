import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** Who may log in to an embedded cluster: its superuser and the app's own role (not a superuser). */
export type ClusterSecrets = { superuserPassword: string; appRole: string; appPassword: string };

export const SUPERUSER = "postgres";
const APP_ROLE = "finetrack";
/** Clusters made before per-folder passwords used this one; the next start replaces it. */
const LEGACY_PASSWORD = "finetrack";

export function newSecrets(appRole = APP_ROLE): ClusterSecrets {
  return { superuserPassword: randomBytes(24).toString("hex"), appRole, appPassword: randomBytes(24).toString("hex") };
}

/** The cluster's passwords, kept in a 0600 file beside its data; created on first use. */
export function loadOrCreateSecrets(file: string): ClusterSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as ClusterSecrets;
  const secrets = newSecrets();
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
  return secrets;
}

export function clusterUrl(port: number, user: string, password: string, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // a dropped connection fails the pending query; it must not crash us
  await client.connect();
  return client;
}

/**
 * A superuser connection with the stored password. A cluster still on the old fixed password is
 * moved to the stored one first (the file is written before the password changes, so a crash in
 * between is repaired by the next start).
 */
export async function connectSuperuser(port: number, secrets: ClusterSecrets, database = "postgres"): Promise<pg.Client> {
  try {
    return await connect(clusterUrl(port, SUPERUSER, secrets.superuserPassword, database));
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
    const legacy = await connect(clusterUrl(port, SUPERUSER, LEGACY_PASSWORD, database)).catch(() => {
      throw error;
    });
    try {
      await legacy.query(`ALTER ROLE ${SUPERUSER} PASSWORD '${secrets.superuserPassword}'`);
    } finally {
      await legacy.end();
    }
    return connect(clusterUrl(port, SUPERUSER, secrets.superuserPassword, database));
  }
}

/** Hands every object in schema public that another role owns to `role` (clusters made before the app role). */
const TAKE_OWNERSHIP = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner <> '%ROLE%'::regrole
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name, '%ROLE%');
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND t.typowner <> '%ROLE%'::regrole
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, '%ROLE%');
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND p.proowner <> '%ROLE%'::regrole
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, '%ROLE%');
  END LOOP;
END $$`;

/**
 * The app's login role (LOGIN, no SUPERUSER/CREATEDB/CREATEROLE) with the stored password, and
 * `database` owned by it, so it can migrate its own schema and nothing else. Idempotent.
 */
export async function ensureAppDatabase(port: number, secrets: ClusterSecrets, database: string): Promise<string> {
  const { appRole: role, appPassword: password } = secrets;
  if (!/^[a-z_][a-z0-9_]*$/.test(role) || !/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`role and database names must be plain identifiers, got '${role}', '${database}'`);
  const admin = await connectSuperuser(port, secrets);
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
    await admin.query(`${exists ? "ALTER" : "CREATE"} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`);
    const db = await admin.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [database]);
    if (!db.rowCount) await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
    else if (db.rows[0].owner !== role) await admin.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
  } finally {
    await admin.end();
  }
  const inDb = await connectSuperuser(port, secrets, database);
  try {
    await inDb.query(TAKE_OWNERSHIP.replaceAll("%ROLE%", role));
  } finally {
    await inDb.end();
  }
  return clusterUrl(port, role, password, database);
}
