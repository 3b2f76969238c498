// kernels/kernels.wasm is built from kernels/*.ts and committed: it must be what the sources compile
// to today (run `npm run build:kernels -w packages/trainer` after editing them). It runs inside
// tfjs-wasm's memory, so it must import that memory and carry no data segment (which would be
// copied over tfjs's heap at instantiation).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const pkg = fileURLToPath(new URL("../..", import.meta.url));
const asc = path.join(path.dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json")), "bin/asc.js");
const committed = () => readFileSync(path.join(pkg, "kernels/kernels.wasm"));

/** Ids of the module's sections, in order (WebAssembly binary format: id byte, LEB128 size). */
function sectionIds(bytes: Buffer): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++];
      size |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    ids.push(id);
    i += size;
  }
  return ids;
}

describe("kernels.wasm", () => {
  it("is what kernels/index.ts compiles to", () => {
    const script: string = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")).scripts["build:kernels"];
    const out = path.join(mkdtempSync(path.join(tmpdir(), "asc-")), "kernels.wasm");
    const args = script.replace(/^asc /, "").replace(/-o \S+/, `-o ${out}`).split(" ");
    const r = spawnSync(process.execPath, [asc, ...args], { cwd: pkg, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), committed())).toBe(0);
  }, 60_000);

  it("imports only tfjs's memory and has no data, start or memory section of its own", () => {
    const m = new WebAssembly.Module(committed());
    expect(WebAssembly.Module.imports(m)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    const ids = sectionIds(committed());
    expect(ids).toContain(10); // code: the parser read the real module
    for (const id of [5, 8, 11]) expect(ids).not.toContain(id); // memory, start, data
  });
});
