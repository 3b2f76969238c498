import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { clusterUrl, loadOrCreateSecrets, newSecrets, SUPERUSER, type ClusterSecrets } from "./cluster-access";
import { postgresOsUser } from "./os-user";
import { pgBinaries } from "./pg-binaries";
import { isAlive, recordOwner, spawnPostmaster, stopLeftoverPostmaster, stopPostmaster, type Postmaster } from "./postmaster";

export type EmbeddedCluster = {
  port: number;
  dataDir: string;
  secrets: ClusterSecrets;
  /** A superuser URL (bootstrap and tests; the app connects as `secrets.appRole`). */
  url(database?: string): string;
  /** The running postmaster's pid (undefined while it is being restarted). */
  pid(): number | undefined;
  stop(): Promise<void>;
};

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Password logins only (SCRAM), over loopback TCP or the socket inside the data folder. Rewritten on
// every start, which also moves clusters made with cleartext `password` auth to SCRAM.
const PG_HBA = `# written by finetrack at every start\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n`;

/** Creates `dir` and any missing parents; as root, parents are 0755 so the postgres user reaches the leaf. */
function makeDirs(dir: string, ids: { uid: number; gid: number } | undefined) {
  const first = mkdirSync(dir, { recursive: true });
  if (first && ids) for (let d = path.dirname(dir); d.length >= first.length; d = path.dirname(d)) chmodSync(d, 0o755);
}

function writeOwned(file: string, text: string, mode: number, ids: { uid: number; gid: number } | undefined) {
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  if (ids) chownSync(file, ids.uid, ids.gid);
}

/** initdb: UTF-8 with the builtin C.UTF-8 locale (no OS locale needed), SCRAM passwords, superuser `postgres`. */
async function initCluster(initdb: string, dataDir: string, password: string, options: { ephemeral?: boolean; ids?: { uid: number; gid: number } }) {
  makeDirs(dataDir, options.ids);
  chmodSync(dataDir, 0o700);
  if (options.ids) chownSync(dataDir, options.ids.uid, options.ids.gid);
  const pwfile = `${dataDir}.pwfile-${process.pid}`;
  writeOwned(pwfile, `${password}\n`, 0o600, options.ids);
  try {
    const args = [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions"];
    if (options.ephemeral) args.push("--no-sync");
    const child = spawn(initdb, args, { ...options.ids, cwd: path.dirname(dataDir), env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c) => (output += c));
    child.stderr!.on("data", (c) => (output += c));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (code ${code}): ${output.trim()}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The socket goes inside the data folder (0700) when its path fits the 107-byte limit, else there is none. */
function socketDir(dataDir: string, port: number): string {
  return Buffer.byteLength(path.join(dataDir, `.s.PGSQL.${port}`)) <= 107 ? dataDir : "";
}

/**
 * Starts a real PostgreSQL from node_modules (or root's copy of it, see pg-binaries.ts). An existing
 * cluster in `dataDir` is reused, and one left running by a killed server is shut down first.
 * Passwords live in `secretsFile` (0600); `ephemeral` clusters (tests) keep them in memory, skip
 * durability and are deleted on stop. If the postmaster dies, it is started again on the same port.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  ephemeral?: boolean;
  secretsFile?: string;
  /** Lifecycle lines (leftover shut down, restarts); PostgreSQL's own log is kept for error messages. */
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const bins = pgBinaries();
  const ids = postgresOsUser();
  const secrets = options.secretsFile ? loadOrCreateSecrets(options.secretsFile) : newSecrets();
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (initialised) await stopLeftoverPostmaster(dataDir, log);
  const port = options.port && (await portIsFree(options.port)) ? options.port : await freePort();
  if (!initialised) await initCluster(bins.initdb, dataDir, secrets.superuserPassword, { ephemeral: options.ephemeral, ids });
  const hba = path.join(dataDir, "pg_hba.conf");
  if (readFileSync(hba, "utf8") !== PG_HBA) writeOwned(hba, PG_HBA, 0o600, ids);

  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir(dataDir, port)}`, "-c", "unix_socket_permissions=0700", "-c", "max_connections=300"];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const spawnOne = async () => {
    const started = await spawnPostmaster({ binary: bins.postgres, dataDir, port, flags, ids });
    recordOwner(dataDir);
    return started;
  };

  let current: Postmaster | undefined;
  let stopping = false;
  const killOnExit = () => current?.process.kill("SIGINT");
  process.once("exit", killOnExit);
  // A test process ended by a signal runs no 'exit' handlers: stop its throwaway cluster, then let
  // the signal do what it would have done (unless someone else handles it).
  const onSignal = (signal: NodeJS.Signals) => {
    const pid = current?.process.pid;
    if (pid) {
      current!.process.kill("SIGQUIT");
      // Signal handlers cannot await: wait for it synchronously (≤ 3 s), then drop its files.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; waited < 3_000 && isAlive(pid); waited += 20) Atomics.wait(pause, 0, 0, 20);
      rmSync(dataDir, { recursive: true, force: true });
    }
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals = options.ephemeral ? (["SIGINT", "SIGTERM", "SIGHUP"] as const) : [];
  for (const signal of signals) process.once(signal, onSignal);
  const unhook = () => {
    process.removeListener("exit", killOnExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  const supervise = (postmaster: Postmaster) => {
    void postmaster.exited.then(async ({ code, signal }) => {
      if (stopping) return;
      current = undefined;
      const lostAt = Date.now();
      log(`PostgreSQL (pid ${postmaster.process.pid}) exited unexpectedly (${signal ?? `code ${code}`}); restarting it`);
      for (let attempt = 0; !stopping; attempt++) {
        try {
          // Backends of the dead postmaster may hold its shared memory for a moment: retry.
          const restarted = await spawnOne();
          if (stopping) return void (await stopPostmaster(restarted.process.pid!));
          current = restarted;
          log(`PostgreSQL restarted (pid ${restarted.process.pid}) ${Date.now() - lostAt} ms after it exited`);
          supervise(restarted);
          return;
        } catch (error) {
          if (attempt % 10 === 9) log(`PostgreSQL restart attempt ${attempt + 1} failed: ${(error as Error).message.split("\n").slice(-1)[0]}`);
          await sleep(Math.min(100 * 2 ** attempt, 2_000));
        }
      }
    });
  };
  try {
    // Backends of a postmaster killed just before may still hold its shared memory for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        current = await spawnOne();
        break;
      } catch (error) {
        if (attempt >= 20 || !/shared memory block .* is still in use/.test((error as Error).message)) throw error;
        await sleep(250);
      }
    }
  } catch (error) {
    unhook();
    throw new Error(`could not start the embedded PostgreSQL in ${dataDir} on port ${port}: ${(error as Error).message}`);
  }
  supervise(current);

  return {
    port,
    dataDir,
    secrets,
    url: (database = "postgres") => clusterUrl(port, SUPERUSER, secrets.superuserPassword, database),
    pid: () => current?.process.pid,
    async stop() {
      if (stopping) return;
      stopping = true;
      unhook();
      const pid = current?.process.pid;
      if (pid) await stopPostmaster(pid);
      current = undefined;
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tempDataDir(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}-${process.pid}-${Date.now().toString(36)}`);
}
