import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isBuildCurrent } from "./start-next";

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
