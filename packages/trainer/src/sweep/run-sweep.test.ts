import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../checkpoint/checkpoint-io";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { expandSweep } from "./expand-sweep";
import { runSweep } from "./run-sweep";
import type { SweepEvent } from "./sweep-messages";

let checkpoint: string;
const home = mkdtempSync(join(tmpdir(), "ft-sweep-home-"));
beforeAll(async () => {
  const model = createModel("sweep-base", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 4);
  checkpoint = join(mkdtempSync(join(tmpdir(), "ft-sweep-ckpt-")), "sweep-base");
  await saveCheckpoint(model, checkpoint);
  disposeModel(model);
});

describe("runSweep", () => {
  const sweep = () =>
    expandSweep({
      name: "t",
      config: { base_model: checkpoint, max_samples: 40, max_steps: 2, per_device_train_batch_size: 8, backend: "cpu" },
      parameters: { finetuning_type: ["lora", "adapter"], dataset: ["uppercase", "sort"] },
      seeds: [1],
    });
  const tracking = { mode: "offline" as const, quiet: true };

  it("runs every job on parallel worker processes, one run each, in the sweep's group", async () => {
    const expanded = sweep();
    const events: SweepEvent[] = [];
    const result = await runSweep(expanded, { parallel: 2, tracking: { ...tracking, home }, onEvent: (e) => events.push(e) });
    expect(result.results.map((r) => [r.index, r.status])).toEqual([0, 1, 2, 3].map((i) => [i, "finished"]));
    expect(new Set(result.results.map((r) => r.outcome!.runId)).size).toBe(4);
    expect(result.results.every((r) => r.outcome!.summary.steps === 2)).toBe(true);
    expect(new Set(events.filter((e) => e.type === "start").map((e) => e.worker))).toEqual(new Set([0, 1]));
    expect(result.group).toBe(expanded.group);
  }, 120_000);

  it("records a failing job and carries on (in process); an unknown base model stops the sweep before any run", async () => {
    const expanded = sweep();
    expanded.jobs[1].config.dataset = "/nonexistent/data.jsonl";
    const jobs = expanded.jobs.slice(0, 3);
    const result = await runSweep({ ...expanded, jobs }, { parallel: 1, tracking: { ...tracking, home } });
    expect(result.results.map((r) => r.status)).toEqual(["finished", "failed", "finished"]);
    expect(result.results[1].error).toBe("dataset: file '/nonexistent/data.jsonl' not found");
    jobs[0].config.base_model = "no-such-model";
    await expect(runSweep({ ...expanded, jobs }, { tracking: { ...tracking, home } })).rejects.toThrow(/base_model: expected a zoo model .* got 'no-such-model'/);
  }, 60_000);
});
