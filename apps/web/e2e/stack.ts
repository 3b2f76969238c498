import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bootstrapLocal } from "@finetrack/core";
import { connectDb, freePort, startDatabase, type Db } from "@finetrack/db";

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "../..");
const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");

/** Newest modification time under the given folders (sources the build depends on). */
function newestMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".next" || entry.name === "generated" || entry.name.startsWith(".")) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    if (statSync(d).isDirectory()) walk(d);
    else newest = Math.max(newest, statSync(d).mtimeMs);
  }
  return newest;
}

/** Builds the production bundle unless the existing one is newer than every source it includes. */
export function ensureBuild(log: (line: string) => void = console.log): void {
  const buildId = path.join(webDir, ".next/BUILD_ID");
  const sources = [
    path.join(webDir, "app"),
    path.join(webDir, "src"),
    path.join(webDir, "next.config.ts"),
    ...["api", "core", "contracts", "analysis", "db"].map((p) => path.join(repoRoot, "packages", p, "src")),
  ];
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestMtime(sources)) {
    log("e2e: reusing the existing production build");
    return;
  }
  log("e2e: building the dashboard (next build)…");
  const started = Date.now();
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: webDir, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
  log(`e2e: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export interface Stack {
  baseUrl: string;
  apiKey: string;
  project: string;
  /** The instance admin bootstrap created, and its one-time password. */
  adminUsername: string;
  adminPassword: string;
  db: Db;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the dashboard did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * What `finetrack server` does, for tests: a fresh embedded PostgreSQL (migrated), the default
 * project and an admin key, then `next start` of the production build with DATABASE_URL set.
 */
export async function startStack(options: { env?: Record<string, string> } = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "finetrack-e2e-"));
  const database = await startDatabase({ dataDir, port: await freePort() });
  const db = connectDb(database.url);
  const { project, key, admin } = await bootstrapLocal(db);
  if (!key || !admin.password) throw new Error("bootstrap of a fresh database returned no admin key or password");
  const port = await freePort();
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: webDir,
    env: { ...process.env, ...options.env, DATABASE_URL: database.url, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/sign-in`, server, 60_000);
  } catch (error) {
    server.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    baseUrl,
    apiKey: key.secret,
    project: project.slug,
    adminUsername: admin.username,
    adminPassword: admin.password,
    db,
    async stop() {
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
      await db.close();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
