import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { varyingConfigKeys } from "@finetrack/analysis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logMetrics } from "../metric/log-metrics";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { finishRun } from "../run/finish-run";
import { listRunRows } from "./list-run-rows";

let db: Db;

beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "tbl", name: "Table" });
  // lr and epochs vary, warmup is the same everywhere, lora_rank follows the base model, seed is noise.
  for (let k = 0; k < 8; k++) {
    const id = `t-${k}`;
    const baseModel = ["tiny-a", "tiny-b"][k % 2];
    await createRun(db, {
      project: "tbl",
      id,
      name: id,
      baseModel,
      method: "lora",
      // Fields most runs leave empty, set on some.
      ...(k % 3 === 0 ? { group: "g", seed: k } : {}),
      ...(k % 4 === 1 ? { dataset: { name: "toy", version: "v1", trainSize: 10 }, parentRunId: "t-0" } : {}),
      config: { lr: [1e-4, 3e-4, 1e-3, 3e-3][k % 4], epochs: 1 + (k % 3), warmup: 10, lora_rank: baseModel === "tiny-a" ? 8 : 16, seed: k, optimizer: { name: k % 2 ? "adam" : "sgd", ["__proto__"]: { beta: 0.9 } }, layers: [k, 2] },
    });
    await logMetrics(db, {
      runId: id,
      points: [
        { key: "train/loss", step: 0, value: 2 },
        { key: "train/loss", step: 1, value: 1 + k / 10 },
        { key: "val/loss", step: 0, value: 2.5 },
        { key: "val/loss", step: 1, value: 1.5 + k / 10 },
        { key: "constructor", step: 0, value: k },
      ],
    });
    await finishRun(db, { id, summary: { wall_time_ms: 1000 * (k + 1), note: `n${k}` } });
  }
});
afterAll(() => db?.close());

describe("listRunRows for the runs table (columns, defaults)", () => {
  it("with defaults: the best main target and the config keys that vary, read alone; the catalog names every column", async () => {
    const full = await listRunRows(db, { project: "tbl" });
    const rows = await listRunRows(db, { project: "tbl", defaults: true });
    const fields = ["name", "metrics.val/loss.min", "status", "baseModel", "dataset", "method", "group", "tags", "duration", "createdAt"];
    expect(rows.defaultColumns!.slice(0, fields.length)).toEqual(fields);
    const chosen = rows.defaultColumns!.slice(fields.length);
    // As the factor analysis judges every config key of the whole answer (the constant ones were skipped unread).
    expect(chosen).toEqual(varyingConfigKeys({ fields: { baseModel: full.baseModel, method: full.method, dataset: full.dataset }, group: full.group, config: full.config }).map((k) => `config.${k}`));
    expect(chosen).toEqual(expect.arrayContaining(["config.lr", "config.epochs"]));
    for (const noise of ["config.warmup", "config.seed", "config.lora_rank"]) expect(chosen).not.toContain(noise);
    // Only what the defaults show crosses the wire: not the constant, the seed, the follower or the other statistics.
    expect(Object.keys(rows.config).sort()).toEqual(chosen.map((id) => id.slice("config.".length)).sort());
    expect(Object.keys(rows.metrics)).toEqual(["val/loss"]);
    expect(rows.metrics["val/loss"].max).toEqual([]);
    expect(Object.keys(rows.summary)).toEqual(["wall_time_ms"]);
    // The same runs, order and values as the whole answer.
    expect(rows.id).toEqual(full.id);
    expect(rows.count).toBe(8);
    for (const f of ["name", "status", "baseModel", "method", "tags", "parentRunId", "durationSec", "dataset", "group", "seed"] as const) expect(rows[f]).toEqual(full[f]);
    expect(rows.parentRunId.filter(Boolean)).toEqual(["t-0", "t-0"]);
    expect(rows.dataset.filter(Boolean)).toEqual(["toy@v1", "toy@v1"]);
    expect(rows.seed.filter((v) => v !== null).sort()).toEqual([0, 3, 6]);
    expect(rows.createdAt.map(Math.round)).toEqual(full.createdAt.map(Math.round));
    expect(rows.config.lr).toEqual(full.config.lr);
    expect(rows.metrics["val/loss"].min).toEqual(full.metrics["val/loss"].min);
    expect(rows.summary.wall_time_ms).toEqual(full.summary.wall_time_ms);
    // The catalog: every path the whole answer has, numeric where every value is a number.
    expect(rows.catalog!.config.map((c) => c.key).sort()).toEqual(Object.keys(full.config).sort());
    expect(rows.catalog!.config.find((c) => c.key === "lr")!.numeric).toBe(true);
    expect(rows.catalog!.config.find((c) => c.key === "optimizer.name")!.numeric).toBe(false);
    expect(rows.catalog!.config.find((c) => c.key === "layers")!.numeric).toBe(false);
    expect(rows.catalog!.summary).toEqual(expect.arrayContaining([{ key: "note", numeric: false }, { key: "wall_time_ms", numeric: true }]));
    expect([...rows.catalog!.metrics].sort()).toEqual(Object.keys(full.metrics).sort());
  });

  it("with columns: those columns, keys as data, the same values as the whole answer", async () => {
    const full = await listRunRows(db, { project: "tbl" });
    const columns = ["config.optimizer.__proto__.beta", "config.layers", "summary.note", "metrics.constructor.last", "metrics.train/loss.min", "config.nope", "metrics.nope.min"];
    const rows = await listRunRows(db, { project: "tbl", columns });
    expect(rows.defaultColumns).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(rows.config, "optimizer.__proto__.beta")?.value).toEqual(full.config["optimizer.__proto__.beta"]);
    expect(rows.config["optimizer.__proto__.beta"]).toEqual(Array(8).fill(0.9));
    expect(rows.config.layers).toEqual(full.config.layers);
    expect(rows.config.layers[rows.id.indexOf("t-3")]).toBe("[3,2]");
    expect(rows.summary.note).toEqual(full.summary.note);
    expect(Object.getOwnPropertyDescriptor(rows.metrics, "constructor")?.value.last).toEqual(Object.getOwnPropertyDescriptor(full.metrics, "constructor")?.value.last);
    expect(rows.metrics["train/loss"].min).toEqual(full.metrics["train/loss"].min);
    expect(rows.metrics["train/loss"].last).toEqual([]);
    // Columns no run has are no columns; nothing else of the JSON is sent.
    expect(Object.keys(rows.config).sort()).toEqual(["layers", "optimizer.__proto__.beta"]);
    expect(Object.keys(rows.metrics).sort()).toEqual(["constructor", "train/loss"]);
  });

  it("keeps the filter, limit and truncation of the whole answer", async () => {
    const filter = { where: [{ field: "config.lr", op: "gte" as const, value: 1e-3 }] };
    const full = await listRunRows(db, { project: "tbl", filter, limit: 3 });
    const rows = await listRunRows(db, { project: "tbl", filter, limit: 3, defaults: true });
    expect(rows.id).toEqual(full.id);
    expect([rows.count, rows.truncated]).toEqual([3, true]);
    const none = await listRunRows(db, { project: "tbl", filter: { search: "no such run" }, defaults: true });
    expect([none.count, none.id, none.defaultColumns]).toEqual([0, [], ["name", "status", "baseModel", "dataset", "method", "group", "tags", "duration", "createdAt"]]);
  });

  it("refuses a column that is not a config, summary or shown metric column, naming it", async () => {
    await expect(listRunRows(db, { project: "tbl", columns: ["config.lr", "status"] })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "columns.1" });
    await expect(listRunRows(db, { project: "tbl", columns: ["metrics.val/loss.minStep"] })).rejects.toThrow(/statistic the table shows \(min, max, last\), got 'metrics\.val\/loss\.minStep'/);
    await expect(listRunRows(db, { project: "tbl", columns: ["config."] })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "columns.0" });
  });
});
