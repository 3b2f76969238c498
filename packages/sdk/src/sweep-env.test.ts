import { startTestServer, type TestServer } from "../test/test-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init } from "./init";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  delete process.env.FINETRACK_RUN_ID;
  delete process.env.FINETRACK_SWEEP_ID;
  await server?.close();
});

describe("a sweep agent's environment", () => {
  it("FINETRACK_RUN_ID names the process's first run, FINETRACK_SWEEP_ID is recorded; later runs get their own ids", async () => {
    process.env.FINETRACK_RUN_ID = "sweep1-trial-run";
    process.env.FINETRACK_SWEEP_ID = "sweep1";
    const opts = { project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true };
    const first = await init(opts);
    const second = await init(opts);
    await Promise.all([first.finish(), second.finish()]);
    expect(first.id).toBe("sweep1-trial-run");
    expect(second.id).not.toBe("sweep1-trial-run");
    const stored = await server.client.run.get.query({ id: first.id });
    expect(stored.system).toMatchObject({ sweepId: "sweep1" });
    const explicit = await init({ ...opts, id: "chosen-id" });
    await explicit.finish();
    expect(explicit.id).toBe("chosen-id");
  });
});
