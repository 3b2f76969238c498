import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

/** PostgreSQL refuses to run as root; as root it runs as this OS user (created when missing). */
const PG_OS_USER = "postgres";

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Every existing ancestor of `target` is searchable by other users (missing ones are created 0755). */
export function reachableByOthers(target: string): boolean {
  for (let d = path.dirname(path.resolve(target)); ; d = path.dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      // does not exist yet
    }
    if (d === path.dirname(d)) return true;
  }
}

function idOf(flag: "-u" | "-g"): number | undefined {
  try {
    return Number(execFileSync("id", [flag, PG_OS_USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    return undefined;
  }
}

/** The uid/gid PostgreSQL runs as: none when we are not root; as root the "postgres" user. */
export function postgresOsUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  if (idOf("-u") === undefined) {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_OS_USER], { stdio: "ignore" });
    } catch (error) {
      if (idOf("-u") === undefined) throw new Error(`running as root, PostgreSQL needs a '${PG_OS_USER}' OS user and useradd failed: ${(error as Error).message}`);
    }
  }
  return { uid: idOf("-u")!, gid: idOf("-g")! };
}
