import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isRunning as running } from "../test/process-state";
import { EXIT_WITH_PARENT } from "./exit-with-parent";

describe("exit-with-parent preload", () => {
  it("stops a child (like the Next.js server) once the process that started it is killed with -9", async () => {
    // parent -> child with the preload; the child would otherwise run forever.
    const script = `const c = require("node:child_process").spawn(process.execPath, ["--import", ${JSON.stringify(EXIT_WITH_PARENT)}, "-e", "console.log(process.pid); setInterval(() => {}, 1000)"], { stdio: ["ignore", "inherit", "inherit"] }); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const childPid = await new Promise<number>((resolve) => parent.stdout!.once("data", (d) => resolve(Number(String(d).trim()))));
    expect(running(childPid)).toBe(true);
    parent.kill("SIGKILL");
    while (running(childPid)) await new Promise((r) => setTimeout(r, 100));
    expect(running(childPid)).toBe(false);
  });

  it("leaves a child alone while its parent lives", async () => {
    const child = spawn(process.execPath, ["--import", EXIT_WITH_PARENT, "-e", "setTimeout(() => console.log('still here'), 1500)"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: "still here" });
  });
});
