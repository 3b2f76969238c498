import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireBuildLock, type LockOwner } from "./build-lock";

const tmp = () => mkdtempSync(path.join(tmpdir(), "ft-build-lock-"));

/** The pid of a process that has exited (so no process runs under it now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function plantLock(lock: string, owner: LockOwner) {
  mkdirSync(lock);
  writeFileSync(path.join(lock, "owner.json"), JSON.stringify(owner));
}

describe("base-model build lock", () => {
  it("records its pid and host, and release removes it", async () => {
    const lock = path.join(tmp(), "medium.lock");
    const release = await acquireBuildLock(lock);
    const owner = JSON.parse(readFileSync(path.join(lock, "owner.json"), "utf8")) as LockOwner;
    expect(owner.pid).toBe(process.pid);
    expect(owner.host).toBe(hostname());
    await release();
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose process is gone, without waiting for it to expire", async () => {
    const lock = path.join(tmp(), "medium.lock");
    const pid = deadPid();
    plantLock(lock, { pid, host: hostname(), startedAt: new Date().toISOString() });
    const waits: (LockOwner | null)[] = [];
    const release = await acquireBuildLock(lock, { onWait: (o) => waits.push(o), pollMs: 20 });
    expect(waits).toEqual([]);
    expect((JSON.parse(readFileSync(path.join(lock, "owner.json"), "utf8")) as LockOwner).pid).toBe(process.pid);
    await release();
  });

  it("waits for a live owner, says who it is, and takes over when that process ends", async () => {
    const lock = path.join(tmp(), "medium.lock");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    plantLock(lock, { pid: holder.pid!, host: hostname(), startedAt: new Date().toISOString() });
    const waits: (LockOwner | null)[] = [];
    let acquired = false;
    const pending = acquireBuildLock(lock, { pollMs: 20, onWait: (o) => waits.push(o) }).then((release) => {
      acquired = true;
      return release;
    });
    await expect.poll(() => waits.length).toBe(1);
    expect(waits[0]?.pid).toBe(holder.pid);
    expect(acquired).toBe(false);
    holder.kill("SIGKILL");
    const release = await pending;
    expect((JSON.parse(readFileSync(path.join(lock, "owner.json"), "utf8")) as LockOwner).pid).toBe(process.pid);
    await release();
  });

  it("two waiters on one stale lock: exactly one holds it at a time", async () => {
    const lock = path.join(tmp(), "medium.lock");
    plantLock(lock, { pid: deadPid(), host: hostname(), startedAt: new Date().toISOString() });
    let holders = 0;
    let most = 0;
    await Promise.all(
      [0, 1, 2].map(async () => {
        const release = await acquireBuildLock(lock, { pollMs: 10 });
        holders++;
        most = Math.max(most, holders);
        await new Promise((r) => setTimeout(r, 50));
        holders--;
        await release();
      }),
    );
    expect(most).toBe(1);
  });
});
