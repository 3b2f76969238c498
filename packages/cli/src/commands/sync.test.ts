import { appendFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, spoolPaths } from "@finetrack/sdk";
import { startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** An offline run of `steps` points in a fresh FINETRACK_HOME. */
async function offlineRun(steps: number) {
  const home = mkdtempSync(join(tmpdir(), "ft-sync-cli-"));
  const run = await init({ project: server.project, mode: "offline", home, quiet: true });
  for (let step = 0; step < steps; step++) run.log({ loss: step }, { step });
  await run.finish();
  return { home, runId: run.id, paths: spoolPaths(home, run.id) };
}

const sync = (home: string) => runCli(["sync", "--url", server.url, "--api-key", server.apiKey], { FINETRACK_HOME: home });

describe("finetrack sync", () => {
  it("uploads a clean spool and exits 0", async () => {
    const { home, runId, paths } = await offlineRun(100);
    const { code, stdout } = await sync(home);
    expect(stdout).toBe(`${runId}: uploaded: 100 points stored in 3 records\n`);
    expect(code).toBe(0);
    expect(existsSync(paths.file)).toBe(false);
  });

  it("a run of a project the key is not for: keeps the spool, says to fix the key or the project, exits 1", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-sync-cli-"));
    const run = await init({ project: "not-this-key", mode: "offline", home, quiet: true });
    run.log({ loss: 1 }, { step: 0 });
    await run.finish();
    const paths = spoolPaths(home, run.id);
    const { code, stdout } = await sync(home);
    expect(code).toBe(1);
    expect(stdout).toMatch(/failed: .*this API key is for project .*fix the API key \(or the run's project\), then run `finetrack sync` again/);
    expect(existsSync(paths.file)).toBe(true);
    expect(existsSync(paths.rejected)).toBe(false);
  });

  it("with a refused point and a corrupt line: says which and where, keeps them aside, uploads the rest and exits 1", async () => {
    const { home, runId, paths } = await offlineRun(100);
    // What another client (or a disk) could leave: a point with a negative step, then half a line.
    appendFileSync(paths.file, '{"t":"p","keys":["loss"],"k":[0],"s":[-1],"v":[1],"e":[null],"tm":[null]}\n{"t":"p","keys":["lo');
    const { code, stdout, stderr } = await sync(home);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${runId}: incomplete: 100 points stored in 4 records; 1 point\\(s\\) refused; kept with the reasons in ${paths.rejected}; 1 unreadable line\\(s\\) set aside in ${paths.corrupt}\\n$`));
    expect(stderr).toMatch(new RegExp(`unreadable line 5 at byte \\d+ of ${paths.file}`));
    expect(stderr).toMatch(/1 point\(s\) refused by the server/);
    expect((await storedPoints(server.db, runId)).get("loss")).toHaveLength(100);
    expect(existsSync(paths.rejected) && existsSync(paths.corrupt)).toBe(true);
    expect(stdout).not.toMatch(/uploaded/);
  });
});
