// `npm run dev` from the repository root, as a new contributor types it: with no DATABASE_URL it
// must start what `finetrack server --dev` starts (embedded PostgreSQL, migrations, next dev) and
// stop all of it on Ctrl-C. About 30 s on a quiet 2-core machine (next dev compiles the first page).
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@finetrack/db";
import { afterAll, describe, expect, it } from "vitest";
import { isRunning } from "./process-state";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const dirs: string[] = [];
let groupId: number | undefined;

afterAll(() => {
  if (groupId !== undefined && groupAlive(groupId)) process.kill(-groupId, "SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Whether any process of the group is left (Ctrl-C reaches the whole group, as in a terminal). */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && isRunning(Number(entry))) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000) })).status;
  } catch {
    return 0;
  }
}

describe("npm run dev", () => {
  it("serves the dashboard on an embedded PostgreSQL without DATABASE_URL, and Ctrl-C stops it all", { timeout: 300_000 }, async () => {
    const tmp = (prefix: string) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    };
    const dataDir = tmp("ft-npm-dev-data-");
    chmodSync(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, FINETRACK_DATA_DIR: dataDir, FINETRACK_PG_PORT: String(pgPort), FINETRACK_HOME: tmp("ft-npm-dev-home-"), FINETRACK_URL: "", FINETRACK_API_KEY: "" };
    delete env.DATABASE_URL;
    const child = spawn("npm", ["run", "dev", "--", "--port", String(port)], { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    groupId = child.pid!;
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<void>((done) => child.once("exit", () => done()));

    const dashboard = `http://127.0.0.1:${port}/`;
    while (!output.includes("serving the dashboard and API at")) {
      if (child.exitCode !== null) throw new Error(`npm run dev exited (${child.exitCode}):\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).toContain("(embedded PostgreSQL)");
    expect(output).toMatch(/Next\.js .*\n.*Local:/);
    expect(await status(dashboard)).toBe(200);
    const postmaster = join(dataDir, "pg", "postmaster.pid");
    expect(existsSync(postmaster)).toBe(true);

    process.kill(-groupId, "SIGINT");
    await exited;
    while (groupAlive(groupId)) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain("SIGINT: shutting down");
    expect(existsSync(postmaster)).toBe(false);
    expect(await status(dashboard)).toBe(0);
  });
});
