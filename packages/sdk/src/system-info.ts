import { execFile } from "node:child_process";
import { arch, cpus, hostname, platform, release, totalmem } from "node:os";

export type SystemInfo = {
  node: string;
  os: string;
  arch: string;
  cpu: string;
  cpuCount: number;
  memoryBytes: number;
  hostname: string;
  gitCommit?: string;
  gitBranch?: string;
  gitDirty?: boolean;
  [extra: string]: unknown;
};

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Any failure (no git binary, not a repository, a slow disk) just means "unknown".
    execFile("git", args, { cwd, timeout: 3_000, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

type GitFacts = { commit?: string; branch?: string; status?: string };

// A sweep starts many runs from one process within seconds; git is asked once per folder per
// GIT_CACHE_MS instead of three child processes per run.
const GIT_CACHE_MS = 10_000;
const gitCache = new Map<string, { atMs: number; facts: Promise<GitFacts> }>();

function gitFacts(cwd: string): Promise<GitFacts> {
  const cached = gitCache.get(cwd);
  if (cached && Date.now() - cached.atMs < GIT_CACHE_MS) return cached.facts;
  const facts = Promise.all([
    git(["rev-parse", "HEAD"], cwd),
    git(["rev-parse", "--abbrev-ref", "HEAD"], cwd),
    git(["status", "--porcelain", "--untracked-files=no"], cwd),
  ]).then(([commit, branch, status]) => ({ commit, branch, status }));
  gitCache.set(cwd, { atMs: Date.now(), facts });
  return facts;
}

/** Node, OS, CPU and host facts plus the git commit and dirty flag of `cwd`, tolerant of no git. */
export async function captureSystemInfo(cwd: string = process.cwd()): Promise<SystemInfo> {
  const { commit, branch, status } = await gitFacts(cwd);
  const cpuList = cpus();
  const info: SystemInfo = {
    node: process.version,
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpu: cpuList[0]?.model.trim() ?? "unknown",
    cpuCount: cpuList.length,
    memoryBytes: totalmem(),
    hostname: hostname(),
  };
  if (commit) {
    info.gitCommit = commit;
    if (branch && branch !== "HEAD") info.gitBranch = branch;
    if (status !== undefined) info.gitDirty = status.length > 0;
  }
  return info;
}
