import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";
import { createModel, disposeModel, saveCheckpoint, transformerConfig } from "@finetrack/trainer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "ft-cli-train-"));
  const model = createModel("cli-base", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 2);
  await saveCheckpoint(model, join(dir, "cli-base"));
  disposeModel(model);
  writeFileSync(
    join(dir, "train.yaml"),
    `project: ${server.project}\nbase_model: ${join(dir, "cli-base")}\ndataset: uppercase\nmax_samples: 60\nfinetuning_type: lora\nmax_steps: 4\neval_steps: 2\nper_device_train_batch_size: 8\nbackend: cpu\n`,
  );
});
afterAll(async () => {
  await server?.close();
});

const auth = () => ["--url", server.url, "--api-key", server.apiKey];
const env = () => ({ FINETRACK_HOME: server.home });

describe("finetrack train", () => {
  it("trains from a YAML config with --set overrides, shows progress and logs the run", async () => {
    const r = await runCli(["train", "-c", join(dir, "train.yaml"), "--set", "lora_rank=2", "--set", "run_name=cli run", ...auth()], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/step 4\/4 loss \d+\.\d{4} ETA/);
    expect(r.stderr).toMatch(/eval step 2: train\/loss/);
    const runId = /run (\w+) finished/.exec(r.stdout)![1];
    expect(r.stdout).toMatch(/stop_reason\s+max_steps/);
    const run = await server.db.prisma.run.findFirstOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ name: "cli run", status: "finished", method: "lora" });
    expect((run.config as { lora_rank: number }).lora_rank).toBe(2);
    expect((await storedPoints(server.db, runId)).get("val/loss")!.map((p) => p.step)).toEqual([2, 4]);
  });

  it("rejects a bad config naming the field, before any run exists", async () => {
    const before = await server.db.prisma.run.count();
    const r = await runCli(["train", "-c", join(dir, "train.yaml"), "--set", "finetuning_type=lorra", "--set", "lora_rnk=3", ...auth()], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/finetuning_type: .*got "lorra"/);
    expect(r.stderr).toContain("lora_rnk: unknown field (did you mean 'lora_rank'?)");
    expect(await server.db.prisma.run.count()).toBe(before);
  });
});

describe("finetrack sweep", () => {
  it("expands a sweep and lists its runs with --dry-run", async () => {
    writeFileSync(join(dir, "sweep.yaml"), `name: cli\nbase: train.yaml\nparameters:\n  finetuning_type: [lora, adapter]\n  dataset: [uppercase, sort]\nseeds: [1, 2]\n`);
    const r = await runCli(["sweep", "-c", join(dir, "sweep.yaml"), "--dry-run"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sweep 'cli': 8 runs in group cli-\d{14}, 1 worker\(s\)/);
    expect(r.stdout).toContain("adapter-cli-base-sort-s2");
    const bad = await runCli(["sweep", "-c", join(dir, "sweep.yaml"), "--parallel", "0"], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--parallel: expected a positive integer, got '0'");
  });
});
