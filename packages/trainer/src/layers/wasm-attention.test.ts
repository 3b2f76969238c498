// kernels/attention.wasm is built from kernels/attention.ts and committed: it must be what the
// source compiles to today (run `npm run build:kernels -w packages/trainer` after editing it).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const pkg = fileURLToPath(new URL("../..", import.meta.url));
const asc = path.join(path.dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json")), "bin/asc.js");

describe("attention.wasm", () => {
  it("is what kernels/attention.ts compiles to", () => {
    const script: string = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")).scripts["build:kernels"];
    const out = path.join(mkdtempSync(path.join(tmpdir(), "asc-")), "attention.wasm");
    const args = script.replace(/^asc /, "").replace(/-o \S+/, `-o ${out}`).split(" ");
    const r = spawnSync(process.execPath, [asc, ...args], { cwd: pkg, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(path.join(pkg, "kernels/attention.wasm")))).toBe(0);
  }, 60_000);
});
