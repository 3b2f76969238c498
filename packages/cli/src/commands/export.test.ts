import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { init } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runNode } from "../../test/run-cli";

let server: TestServer;
let runId: string;
beforeAll(async () => {
  server = await startTestServer();
  const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, name: "export, me", config: { lr: 0.01, optimizer: { name: "adamw" } }, tags: ["a", "b"] });
  for (let step = 0; step < 300; step++) run.log({ "train/loss": 3 - step / 100, "val/loss": step === 7 ? Number.NaN : 4 - step / 100 }, { step, epoch: step / 100 });
  await run.finish({ summary: { best: 1.5 } });
  runId = run.id;
});
afterAll(async () => {
  await server?.close();
});

const auth = () => ["--url", server.url, "--api-key", server.apiKey];

describe("finetrack export", () => {
  it("prints a logged run back as JSON with every point", async () => {
    const { stdout, code } = await runCli(["export", "--run", runId, ...auth()]);
    expect(code).toBe(0);
    const exported = JSON.parse(stdout) as { runs: Array<{ id: string; name: string; config: unknown; summary: unknown; metrics: Record<string, { step: number[]; value: Array<number | string>; epoch: number[] }> }> };
    expect(exported.runs).toHaveLength(1);
    const run = exported.runs[0];
    expect(run).toMatchObject({ id: runId, name: "export, me", config: { lr: 0.01 }, summary: { best: 1.5 } });
    expect(run.metrics["train/loss"].step).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(run.metrics["train/loss"].value[299]).toBeCloseTo(0.01, 10);
    expect(run.metrics["val/loss"].value[7]).toBe("NaN");
    expect(run.metrics["val/loss"].epoch[150]).toBeCloseTo(1.5, 5);
  });

  it("writes metric points as long CSV, one row per point", async () => {
    const { stdout } = await runCli(["export", "--run", runId, "--format", "csv", ...auth()]);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("run_id,run_name,key,step,epoch,value,time");
    expect(lines).toHaveLength(1 + 600);
    expect(lines).toContain(lines.find((l) => l.startsWith(`${runId},"export, me",train/loss,0,0,3,`)));
    expect(lines.some((l) => l.startsWith(`${runId},"export, me",val/loss,7,0.07`) && l.includes(",NaN,"))).toBe(true);
  });

  it("writes one row per run with config, summary and metric statistics as columns, to a file", async () => {
    const out = join(tmpdir(), `ft-export-${process.pid}.csv`);
    const { stderr, code } = await runCli(["export", "--project", server.project, "--format", "csv", "--table", "runs", "--out", out, ...auth()]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote 1 run(s) to ${out}`);
    const [header, row] = readFileSync(out, "utf8").trim().split("\n");
    const cells = Object.fromEntries(header.split(",").map((h, i) => [h, row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)[i]]));
    expect(cells).toMatchObject({ id: runId, name: '"export, me"', status: "finished", tags: "a;b", "config.lr": "0.01", "config.optimizer.name": "adamw", "summary.best": "1.5", "metrics.train/loss.count": "300" });
  });

  it("exports long curves at full resolution, page by page", async () => {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, name: "long" });
    for (let step = 0; step < 45_000; step++) run.log({ loss: step % 7 === 0 ? -step - 0.5 : step }, { step });
    await run.finish();
    const { stdout } = await runCli(["export", "--run", run.id, "--format", "csv", ...auth()]);
    const rows = stdout.trim().split("\n").slice(1).map((line) => line.split(","));
    expect(rows).toHaveLength(45_000);
    rows.forEach((row, step) => {
      expect(Number(row[3])).toBe(step);
      expect(Number(row[5])).toBe(step % 7 === 0 ? -step - 0.5 : step);
    });
  });

  it("prints back the run the README's example (examples/log-run.ts) logs", async () => {
    const example = fileURLToPath(new URL("../../../../examples/log-run.ts", import.meta.url));
    const env = { FINETRACK_URL: server.url, FINETRACK_API_KEY: server.apiKey, FINETRACK_HOME: server.home };
    const logged = await runNode(["--import", "tsx", example], env);
    expect(logged.code).toBe(0);
    const runId = /logged run (\S+)/.exec(logged.stdout)![1];
    const { stdout } = await runCli(["export", "--run", runId], env);
    const run = JSON.parse(stdout).runs[0];
    expect(run).toMatchObject({ name: "lora-r8-demo", status: "finished", method: "lora", baseModel: "tiny-gpt-2m", dataset: { name: "alpaca-mini" } });
    expect(run.metrics["train/loss"].step).toHaveLength(300);
    expect(run.metrics["val/loss"].step).toHaveLength(300);
    expect(run.summary.best_val_loss).toBeCloseTo(Math.min(...run.metrics["val/loss"].value), 10);
  });

  it("names the missing run", async () => {
    const { code, stderr } = await runCli(["export", "--run", "no-such-run", ...auth()]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no-such-run/);
  });
});
