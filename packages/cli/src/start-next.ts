import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// generated/ is the Prisma client, rewritten (unchanged) by every npm install.
const SKIP_DIRS = new Set(["node_modules", "generated", "e2e", "test-results", "playwright-report", "coverage"]);

/** Newest modification time of the files under `dir` that can change a build (tests excluded). */
function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) newest = Math.max(newest, newestSourceMs(join(dir, entry.name)));
    } else if (!/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** apps/web and every workspace package it depends on, directly or not. */
function buildInputs(webDir: string, packagesDir: string): string[] {
  const dirs = new Set<string>([webDir]);
  const queue = [webDir];
  while (queue.length > 0) {
    const manifest = JSON.parse(readFileSync(join(queue.shift()!, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith("@finetrack/")) continue;
      const dir = join(packagesDir, name.slice("@finetrack/".length));
      if (existsSync(dir) && !dirs.has(dir)) {
        dirs.add(dir);
        queue.push(dir);
      }
    }
  }
  return [...dirs];
}

/** A production build is current when its BUILD_ID is newer than every source file it was built from. */
export function isBuildCurrent(webDir: string, packagesDir: string): boolean {
  const buildId = join(webDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const builtMs = statSync(buildId).mtimeMs;
  return buildInputs(webDir, packagesDir).every((dir) => newestSourceMs(dir) <= builtMs);
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the dashboard server exited (code ${child.exitCode ?? child.signalCode}) before it served ${url}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the dashboard server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * Next's start banner minus a "Network:" URL that only repeats the "Local:" one (both loopback on
 * one port: it reads as two addresses where there is one).
 */
export function nextBannerFilter(): (line: string) => string | null {
  let local: URL | null = null;
  return (line) => {
    const m = /^\s*-\s*(Local|Network):\s*(\S+)/.exec(line);
    if (!m) return line;
    let url: URL;
    try {
      url = new URL(m[2]);
    } catch {
      return line;
    }
    if (m[1] === "Local") local = url;
    else if (local && url.port === local.port && LOOPBACK.test(url.hostname) && LOOPBACK.test(local.hostname)) return null;
    return line;
  };
}

/** Copies a child's stdout to ours line by line through `filter`. */
function pipeLines(child: ChildProcess, filter: (line: string) => string | null) {
  let rest = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const out = filter(line);
      if (out !== null) process.stdout.write(`${out}\n`);
    }
  });
  child.stdout?.on("end", () => rest && process.stdout.write(rest));
}

export type RunningWeb = { exited: Promise<number | null>; stop(): Promise<void> };

/**
 * Runs apps/web with Next.js: `next dev`, or `next start` after a `next build` when the build is
 * missing or older than the sources. Resolves once it answers HTTP.
 */
export async function startNext(options: { webDir: string; packagesDir: string; dev: boolean; port: number; host: string; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<RunningWeb> {
  const nextBin = createRequire(join(options.webDir, "package.json")).resolve("next/dist/bin/next");
  const node = (args: string[], stdio: "inherit" | ["ignore", "pipe", "inherit"]) => spawn(process.execPath, [nextBin, ...args], { cwd: options.webDir, env: options.env, stdio });
  if (!options.dev && !isBuildCurrent(options.webDir, options.packagesDir)) {
    options.log("building the dashboard (next build); this takes a minute the first time");
    const code = await waitForExit(node(["build"], "inherit"));
    if (code !== 0) throw new Error(`next build failed (exit code ${code}); see the output above`);
  }
  const child = node([options.dev ? "dev" : "start", "--port", String(options.port), "--hostname", options.host], ["ignore", "pipe", "inherit"]);
  pipeLines(child, nextBannerFilter());
  const exited = waitForExit(child);
  const probeHost = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  try {
    await waitUntilServing(`http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${options.port}/api/trpc`, child, options.dev ? 300_000 : 120_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function webDirFrom(cliSrcDir: string): { webDir: string; packagesDir: string } {
  const packagesDir = dirname(dirname(cliSrcDir));
  return { webDir: join(dirname(packagesDir), "apps", "web"), packagesDir };
}
