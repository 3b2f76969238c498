import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";

const OWNER_FILE = "finetrack.owner";

/** The process exists and has not exited (a zombie our event loop has not reaped yet counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * The pid in `dataDir/postmaster.pid` when that process is alive and is a postgres serving this very
 * data folder (the postmaster's working directory is its data folder), else undefined: a reused pid
 * or a stale file is not ours.
 */
export function runningPostmaster(dataDir: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!(pid > 0) || !isAlive(pid)) return undefined;
  try {
    const ours = realpathSync(dataDir);
    if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") return undefined;
    return realpathSync(readlinkSync(`/proc/${pid}/cwd`)) === ours && realpathSync(lines[1]) === ours ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Records which process started the postmaster, so a later start can tell a live server from a dead one. */
export function recordOwner(dataDir: string) {
  writeFileSync(path.join(dataDir, OWNER_FILE), `${process.pid}\n`);
}

/** Stops a postmaster: fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
export async function stopPostmaster(pid: number, graceMs = 15_000): Promise<void> {
  for (const [signal, waitMs] of [["SIGINT", graceMs], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (let waited = 0; waited < waitMs; waited += 50) {
      if (!isAlive(pid)) return;
      await sleep(50);
    }
  }
}

/**
 * A postmaster left running from this data folder by a server that was killed (kill -9 leaves its
 * child running, holding the lock file and the port) is shut down. One whose starter is still alive
 * belongs to another live server: that is an error, not something to kill.
 */
export async function stopLeftoverPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) return;
  const ownerFile = path.join(dataDir, OWNER_FILE);
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8").trim()) : NaN;
  if (owner > 0 && owner !== process.pid && parentPid(pid) === owner && isAlive(owner)) {
    throw new Error(`the PostgreSQL in ${dataDir} (pid ${pid}) belongs to a running finetrack server (pid ${owner}); stop that server first, or set FINETRACK_DATA_DIR to another folder`);
  }
  log(`shutting down PostgreSQL pid ${pid} left running in ${dataDir} by a server that is gone`);
  await stopPostmaster(pid);
}

export type Postmaster = { process: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** Spawns `postgres` and resolves once it accepts connections; rejects with its last log lines if it exits first. */
export function spawnPostmaster(options: {
  binary: string;
  dataDir: string;
  port: number;
  flags: string[];
  ids?: { uid: number; gid: number };
  log?: (line: string) => void;
}): Promise<Postmaster> {
  const child = spawn(options.binary, ["-D", options.dataDir, "-p", String(options.port), ...options.flags], {
    ...options.ids,
    // A cwd the postgres user may not enter would make it fail before it reaches its data folder.
    cwd: path.dirname(options.dataDir),
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    let ready = false;
    let recent = "";
    child.once("error", reject);
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      options.log?.(chunk);
      tail.push(chunk);
      if (tail.length > 20) tail.shift();
      const text = recent + chunk; // the line may arrive in two chunks
      recent = chunk.slice(-100);
      if (!ready && text.includes("database system is ready to accept connections")) {
        ready = true;
        resolve({ process: child, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      if (!ready) reject(new Error(`postgres exited (${signal ?? `code ${code}`}) before accepting connections:\n${tail.join("").trim()}`));
    });
  });
}
