import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test/run-cli";
import { isBuildCurrent, nextBannerFilter } from "./start-next";

/** A tiny monorepo: apps/web depends on @finetrack/api, which depends on @finetrack/core; trainer is unrelated. */
function fixture() {
  const root = mkdtempSync(join(tmpdir(), "ft-build-"));
  const web = join(root, "apps", "web");
  const packages = join(root, "packages");
  const write = (path: string, text: string, mtimeS: number) => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    utimesSync(path, mtimeS, mtimeS);
  };
  write(join(web, "package.json"), JSON.stringify({ dependencies: { "@finetrack/api": "*", next: "16" } }), 1000);
  write(join(web, "app", "page.tsx"), "", 1000);
  write(join(packages, "api", "package.json"), JSON.stringify({ dependencies: { "@finetrack/core": "*" } }), 1000);
  write(join(packages, "core", "package.json"), "{}", 1000);
  write(join(packages, "core", "src", "x.ts"), "", 1000);
  write(join(packages, "trainer", "package.json"), "{}", 1000);
  return { web, packages, write };
}

describe("isBuildCurrent", () => {
  it("is false without a build, true after one, and false again once a source it depends on changes", () => {
    const { web, packages, write } = fixture();
    expect(isBuildCurrent(web, packages)).toBe(false);
    write(join(web, ".next", "BUILD_ID"), "abc", 2000);
    expect(isBuildCurrent(web, packages)).toBe(true);
    // Unrelated packages, tests and generated code do not make the build stale.
    write(join(packages, "trainer", "src", "t.ts"), "", 3000);
    write(join(packages, "core", "src", "x.test.ts"), "", 3000);
    write(join(packages, "core", "src", "generated", "client.ts"), "", 3000);
    expect(isBuildCurrent(web, packages)).toBe(true);
    // A transitive dependency (web -> api -> core) does.
    write(join(packages, "core", "src", "x.ts"), "changed", 3000);
    expect(isBuildCurrent(web, packages)).toBe(false);
  });
});

describe("the server's start output", () => {
  it("drops Next's Network URL when it only repeats the Local one, keeps a real network address", () => {
    const loopback = nextBannerFilter();
    const banner = ["   ▲ Next.js 16.4.6", "   - Local:        http://localhost:3000", "   - Network:      http://127.0.0.1:3000", " ✓ Ready in 1200ms"];
    expect(banner.map(loopback).filter((l) => l !== null)).toEqual([banner[0], banner[1], banner[3]]);
    const lan = nextBannerFilter();
    const shared = ["   - Local:        http://localhost:3000", "   - Network:      http://192.168.1.20:3000"];
    expect(shared.map(lan)).toEqual(shared);
  });

  it("--port and --host help name their defaults once", async () => {
    const r = await runCli(["server", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    const port = r.stdout.split("\n").find((l) => l.includes("--port"))!;
    expect(port).toMatch(/HTTP port \(default: \$PORT, else 3000\)$/);
    expect(port.match(/default/g)).toHaveLength(1);
    const host = r.stdout.split("\n").find((l) => l.includes("--host"))!;
    expect(host.match(/default/g)).toHaveLength(1);
  });
});
