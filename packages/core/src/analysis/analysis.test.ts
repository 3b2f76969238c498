import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logMetrics } from "../metric/log-metrics";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { finishRun } from "../run/finish-run";
import { buildAblationMatrix } from "./build-ablation-matrix";
import { computeFactorImpact } from "./compute-factor-impact";
import { diagnoseRun } from "./diagnose-run";
import { listProjectActivity } from "./list-project-activity";
import { listRunRows } from "./list-run-rows";

let db: Db;

/** Validation bottoms out at step 100 and climbs while training keeps falling. */
function overfit(step: number) {
  return {
    train: 2.2 * Math.exp(-step / 60) + 0.05,
    val: 0.9 + 1.3 * Math.exp(-step / 60) + (step > 100 ? ((step - 100) / 100) ** 2 * 0.6 : 0),
  };
}

async function logCurves(runId: string, steps: number, curve: (s: number) => { train: number; val: number }) {
  const points = [];
  for (let step = 0; step <= steps; step++) {
    const c = curve(step);
    points.push({ key: "train/loss", step, value: c.train, epoch: step / 50 });
    if (step % 5 === 0) points.push({ key: "val/loss", step, value: c.val, epoch: step / 50 });
  }
  await logMetrics(db, { runId, points });
}

beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "abl", name: "Ablation" });
  await createProject(db, { slug: "empty", name: "Empty" });
  // 2 base models × 2 methods × 3 seeds; the base model moves val loss by 1.0, the method by 0.1.
  for (const [b, base] of ["tiny-a", "tiny-b"].entries()) {
    for (const [m, method] of ["lora", "full"].entries()) {
      for (let seed = 0; seed < 3; seed++) {
        const id = `r-${base}-${method}-${seed}`;
        await createRun(db, { project: "abl", id, name: id, baseModel: base, method, seed, config: { lr: 0.001, lora_rank: 8, nested: { dropout: 0.1 } }, dataset: { name: "toy", version: "v1", trainSize: 500 } });
        const floor = 0.5 + b * 1.0 + m * 0.1 + seed * 0.01;
        await logMetrics(db, { runId: id, points: [{ key: "val/loss", step: 0, value: floor + 1 }, { key: "val/loss", step: 1, value: floor }] });
        await finishRun(db, { id, summary: { note: "ok" } });
      }
    }
  }
  await createRun(db, { project: "abl", id: "overfit", name: "<img src=x onerror=alert(1)>", baseModel: "tiny-a", method: "full", config: { lr: 0.01, dropout: 0, num_train_epochs: 6 } });
  await logCurves("overfit", 300, overfit);
  await createRun(db, { project: "abl", id: "no-val", name: "no validation", baseModel: "tiny-b", method: "lora" });
  await logMetrics(db, { runId: "no-val", points: [{ key: "train/loss", step: 0, value: 1 }] });
});
afterAll(() => db?.close());

describe("listRunRows", () => {
  it("returns every matching run column-wise with config paths flattened and metric min / max / last", async () => {
    const rows = await listRunRows(db, { project: "abl" });
    expect(rows.count).toBe(14);
    expect(rows.truncated).toBe(false);
    const i = rows.id.indexOf("r-tiny-b-full-2");
    expect(rows.baseModel[i]).toBe("tiny-b");
    expect(rows.dataset[i]).toBe("toy@v1");
    expect(rows.status[i]).toBe("finished");
    expect(rows.config["nested.dropout"][i]).toBe(0.1);
    expect(rows.metrics["val/loss"].min[i]).toBeCloseTo(0.5 + 1 + 0.1 + 0.02);
    expect(rows.metrics["val/loss"].max[i]).toBeCloseTo(2.62);
    expect(rows.metrics["val/loss"].last[i]).toBeCloseTo(1.62);
    expect(rows.summary.note[i]).toBe("ok");
    const j = rows.id.indexOf("no-val");
    expect(rows.metrics["val/loss"].min[j]).toBeNull();
    expect(rows.config["nested.dropout"][j]).toBeNull();
    expect(rows.durationSec[i]).toBeGreaterThanOrEqual(0);
    expect(rows.createdAt[i]).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it("applies the run filter and the limit", async () => {
    const rows = await listRunRows(db, { project: "abl", filter: { baseModel: ["tiny-a"], where: [{ field: "metrics.val/loss.min", op: "lt", value: 0.55 }] } });
    expect(rows.id.sort()).toEqual(["r-tiny-a-lora-0", "r-tiny-a-lora-1", "r-tiny-a-lora-2"]);
    const picked = await listRunRows(db, { project: "abl", ids: ["overfit", "no-val", "elsewhere"] });
    expect(picked.id.sort()).toEqual(["no-val", "overfit"]);
    const limited = await listRunRows(db, { project: "abl", limit: 5 });
    expect(limited.count).toBe(5);
    expect(limited.truncated).toBe(true);
  });

  it("fails with NOT_FOUND naming an unknown project", async () => {
    await expect(listRunRows(db, { project: "nope" })).rejects.toThrow(/project 'nope' not found/);
  });
});

describe("diagnoseRun", () => {
  it("finds overfitting in a run made to overfit, with the best step near the validation minimum", async () => {
    const r = await diagnoseRun(db, { runId: "overfit" });
    expect(r.trainKey).toBe("train/loss");
    expect(r.valKey).toBe("val/loss");
    expect(r.diagnosis?.verdict).toBe("overfitting");
    expect(r.diagnosis?.best?.step).toBeGreaterThanOrEqual(60);
    expect(r.diagnosis?.best?.step).toBeLessThanOrEqual(140);
    expect(r.diagnosis?.advice.length).toBeGreaterThan(0);
  });

  it("explains why there is no diagnosis when the validation loss is missing", async () => {
    const r = await diagnoseRun(db, { runId: "no-val" });
    expect(r.diagnosis).toBeNull();
    expect(r.reason).toMatch(/validation loss/);
  });

  it("rejects a metric key the run never logged, naming the field", async () => {
    await expect(diagnoseRun(db, { runId: "overfit", valKey: "eval/nope" })).rejects.toThrow(/valKey: run 'overfit' has no metric 'eval\/nope'/);
  });
});

describe("buildAblationMatrix", () => {
  it("gives mean ± std over seeds per base model × method with the runs of every cell", async () => {
    const m = await buildAblationMatrix(db, { project: "abl", filter: { status: ["finished"] }, target: "metrics.val/loss.min", direction: "minimize", rows: "baseModel", columns: "method" });
    expect(m.rows.levels).toEqual(["tiny-a", "tiny-b"]);
    expect(m.columns.levels.sort()).toEqual(["full", "lora"]);
    const cell = m.cells.find((c) => c.row === "tiny-b" && c.column === "full")!;
    expect(cell.stats.n).toBe(3);
    expect(cell.stats.mean).toBeCloseTo(1.61);
    expect(cell.stats.std).toBeCloseTo(0.01);
    expect(cell.runIds.sort()).toEqual(["r-tiny-b-full-0", "r-tiny-b-full-1", "r-tiny-b-full-2"]);
    expect(m.skipped).toBe(0);
  });

  it("rejects an unknown field naming it", async () => {
    await expect(buildAblationMatrix(db, { project: "abl", target: "metrics.val/loss.min", direction: "minimize", rows: "colour", columns: "method" })).rejects.toThrow(/rows: .*got 'colour'/);
  });
});

describe("listProjectActivity", () => {
  it("counts runs and running runs per project", async () => {
    const all = await listProjectActivity(db);
    const abl = all.find((p) => p.slug === "abl")!;
    expect(abl.runCount).toBe(14);
    expect(abl.runningCount).toBe(2);
    expect(abl.lastActivityAt).toBeInstanceOf(Date);
    expect(all.find((p) => p.slug === "empty")).toMatchObject({ runCount: 0, lastActivityAt: null });
  });
});

describe("computeFactorImpact", () => {
  it("ranks the planted dominant factor (base model) first and names its family", async () => {
    const r = await computeFactorImpact(db, { project: "abl", filter: { status: ["finished"] }, target: "metrics.val/loss.min", direction: "minimize" });
    expect(r.factors).toEqual(["baseModel", "method"]);
    expect(r.result?.factors[0].name).toBe("baseModel");
    expect(r.result?.answer.topFamily).toBe("base_model");
    expect(r.runs).toHaveLength(12);
  });

  it("says why when too few runs have the target", async () => {
    const r = await computeFactorImpact(db, { project: "abl", filter: { status: ["running"] }, target: "metrics.val/loss.min", direction: "minimize" });
    expect(r.result).toBeNull();
    expect(r.reason).toMatch(/Only 1 of 2 runs/);
  });
});
