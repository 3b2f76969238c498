import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandSweep, loadSweep } from "./expand-sweep";

const now = new Date("2026-01-02T03:04:05Z");

describe("expandSweep", () => {
  it("grid: cartesian product x seeds, shared group, validated configs, descriptive names", () => {
    const { jobs, group } = expandSweep(
      {
        name: "abl",
        config: { dataset: "arithmetic", max_steps: 5, augmentation: { methods: ["token_dropout"] } },
        parameters: { base_model: ["a", "b", "c"], finetuning_type: { values: ["full", "lora"] }, "augmentation.rate": [0.1, 0.2] },
        seeds: [1, 2],
      },
      { now, sets: ["learning_rate=0.5"] },
    );
    expect(group).toBe("abl-20260102030405");
    expect(jobs).toHaveLength(3 * 2 * 2 * 2);
    expect(new Set(jobs.map((j) => j.config.run_name)).size).toBe(24);
    expect(jobs.every((j) => j.config.group === group && j.config.tags.includes("sweep:abl"))).toBe(true);
    expect(jobs[0].config).toMatchObject({ base_model: "a", finetuning_type: "full", seed: 1, max_steps: 5, learning_rate: 0.5, augmentation: { rate: 0.1 } });
    expect(jobs[0].config.run_name).toBe("full-a-arithmetic-s1-rate=0.1");
    const combos = new Set(jobs.map((j) => `${j.config.base_model}/${j.config.finetuning_type}/${j.config.augmentation?.rate}/${j.config.seed}`));
    expect(combos.size).toBe(24);
  });

  it("random: count samples x seeds, reproducible by sweep_seed, within the ranges", () => {
    const raw = {
      method: "random",
      config: { base_model: "m", dataset: "d" },
      parameters: { learning_rate: { min: 1e-4, max: 1e-1, distribution: "log_uniform" }, lora_rank: { min: 2, max: 4, distribution: "int_uniform" }, optim: ["adam", "sgd"] },
      count: 30,
      seeds: [0],
    };
    const a = expandSweep(raw, { now }).jobs;
    expect(expandSweep(raw, { now }).jobs).toEqual(a);
    expect(expandSweep({ ...raw, sweep_seed: 1 }, { now }).jobs).not.toEqual(a);
    expect(a).toHaveLength(30);
    for (const j of a) {
      expect(j.config.learning_rate).toBeGreaterThanOrEqual(1e-4);
      expect(j.config.learning_rate).toBeLessThanOrEqual(1e-1);
      expect([2, 3, 4]).toContain(j.config.lora_rank);
    }
    expect(new Set(a.map((j) => j.config.lora_rank)).size).toBe(3);
    expect(new Set(a.map((j) => j.config.optim)).size).toBe(2);
  });

  it("swept keys override the base in any spelling; errors name the job and field", () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-sweep-"));
    writeFileSync(join(dir, "base.yaml"), "model_name_or_path: x\ndataset: data.jsonl\n");
    writeFileSync(join(dir, "s.yaml"), "base: base.yaml\nparameters:\n  base_model: [y]\n  lora_rank: [4, -1]\n");
    expect(() => loadSweep(join(dir, "s.yaml"))).toThrow(/s\.yaml job 1 \(base_model="y", lora_rank=-1, seed 42\):\n  - lora_rank: Too small/);
    writeFileSync(join(dir, "s.yaml"), "base: base.yaml\nparameters:\n  base_model: [y]\n");
    const { jobs } = loadSweep(join(dir, "s.yaml"));
    expect(jobs[0].config.base_model).toBe("y");
    expect(jobs[0].config.dataset).toBe(join(dir, "data.jsonl"));
    expect(() => expandSweep({ methd: "grid" })).toThrow(/methd: unknown field \(did you mean 'method'\?\)/);
    expect(() => expandSweep({ parameters: { lr: { min: 1, max: 2 } }, config: { base_model: "m", dataset: "d" } })).toThrow(/parameters\.lr: a grid sweep expects a list/);
    expect(() => expandSweep({ method: "random", parameters: {} })).toThrow(/count: a random sweep expects/);
  });

  it("--set on a swept key pins it (with a note); a command sweep expands values without trainer configs; tpe expands nothing", () => {
    const raw = { name: "p", config: { dataset: "arithmetic" }, parameters: { base_model: ["tiny", "small"], lora_rank: [4, 8] }, seeds: [1] };
    const pinned = expandSweep(structuredClone(raw), { now, sets: ["model_name_or_path=tiny"] });
    expect(pinned.notes).toEqual(['--set model_name_or_path=tiny pins swept parameter \'base_model\' (was ["tiny","small"])']);
    expect(pinned.jobs.map((j) => [j.config.base_model, j.config.lora_rank])).toEqual([["tiny", 4], ["tiny", 8]]);
    expect(expandSweep(structuredClone(raw), { now }).notes).toEqual([]);

    const command = expandSweep({ name: "c", command: ["python", "train.py", "--lr", "${lr}"], parameters: { lr: [0.1, 0.2] }, seeds: [1, 2] }, { now });
    expect(command.jobs).toEqual([]);
    expect(command.assignments).toEqual([{ lr: 0.1, seed: 1 }, { lr: 0.1, seed: 2 }, { lr: 0.2, seed: 1 }, { lr: 0.2, seed: 2 }]);
    expect(expandSweep({ method: "tpe", command: ["x"], count: 9, parameters: { lr: { min: 0.1, max: 1 } } }, { now }).assignments).toEqual([]);
    expect(() => expandSweep({ method: "tpe", command: ["x"], parameters: {} }, { now })).toThrow(/count: a tpe sweep expects the number of trials/);
  });
});
