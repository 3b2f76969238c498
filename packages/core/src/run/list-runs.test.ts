import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logMetrics } from "../metric/log-metrics";
import { createProject } from "../project/create-project";
import { createRun } from "./create-run";
import { finishRun } from "./finish-run";
import { listRuns, type ListRunsOptions } from "./list-runs";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "q", name: "Q" });
  const methods = ["lora", "full", "qlora"];
  for (let i = 0; i < 12; i++) {
    await createRun(db, {
      project: "p", id: `run-${String(i).padStart(2, "0")}`, name: `Run ${i}`, group: i < 6 ? "g1" : "g2",
      baseModel: i % 2 ? "tiny-a" : "tiny-b", method: methods[i % 3], tags: i % 4 === 0 ? ["best", "x"] : ["x"],
      config: { lr: 0.001 * (i + 1), optimizer: { name: i % 2 ? "adam" : "sgd" }, ...(i === 11 ? {} : { batch: 8 * ((i % 3) + 1) }) },
      dataset: { name: i < 4 ? "alpaca" : "dolly", version: "v1" },
    });
    if (i !== 5) {
      await logMetrics(db, { runId: `run-${String(i).padStart(2, "0")}`, points: [{ key: "val/loss", step: 0, value: 2 }, { key: "val/loss", step: 1, value: 1 / (i + 1) }] });
    }
    if (i < 3) await finishRun(db, { id: `run-0${i}`, summary: { best: i === 2 ? NaN : 10 - i } });
  }
  await createRun(db, { project: "q", id: "elsewhere" });
});
afterAll(() => db?.close());

const ids = async (options: Omit<ListRunsOptions, "project">) => (await listRuns(db, { project: "p", limit: 100, ...options })).items.map((r) => r.id);

describe("listRuns", () => {
  it("filters by status, tags, baseModel, dataset, method and group", async () => {
    expect(await ids({ filter: { status: ["finished"] }, sort: { field: "name", direction: "asc" } })).toEqual(["run-00", "run-01", "run-02"]);
    expect(await ids({ filter: { tags: ["best", "x"] }, sort: { field: "name", direction: "asc" } })).toEqual(["run-00", "run-04", "run-08"]);
    expect(await ids({ filter: { baseModel: ["tiny-a"], method: ["lora"] } })).toEqual(["run-09", "run-03"]);
    expect(await ids({ filter: { dataset: ["alpaca@v1"], group: ["g1"] } })).toEqual(["run-03", "run-02", "run-01", "run-00"]);
    expect(await ids({ filter: { dataset: ["alpaca"], search: "run 1" } })).toEqual(["run-01"]);
  });

  it("compares config values and metric statistics", async () => {
    expect(await ids({ filter: { where: [{ field: "config.lr", op: "gte", value: 0.0105 }] } })).toEqual(["run-11", "run-10"]);
    expect(await ids({ filter: { where: [{ field: "config.optimizer.name", op: "eq", value: "adam" }, { field: "config.batch", op: "in", value: [24] }] } })).toEqual(["run-05"]);
    expect(await ids({ filter: { where: [{ field: "metrics.val/loss.last", op: "lt", value: 0.1 }] } })).toEqual(["run-11", "run-10"]);
    expect(await ids({ filter: { where: [{ field: "metrics.val/loss.count", op: "exists" }] } })).toHaveLength(11);
    expect(await ids({ filter: { where: [{ field: "config.batch", op: "exists" }] } })).toHaveLength(11);
    expect(await ids({ filter: { where: [{ field: "summary.best", op: "gt", value: 8.5 }] } })).toEqual(["run-01", "run-00"]);
    expect(await ids({ filter: { where: [{ field: "seed", op: "eq", value: 3 }] } })).toEqual([]);
  });

  it("sorts by config and metric values with missing values last", async () => {
    expect((await ids({ sort: { field: "config.batch", direction: "desc" } })).at(-1)).toBe("run-11");
    expect((await ids({ sort: { field: "config.batch", direction: "asc" } })).at(-1)).toBe("run-11");
    const byLoss = await ids({ sort: { field: "metrics.val/loss.min", direction: "asc" } });
    expect(byLoss.slice(0, 3)).toEqual(["run-11", "run-10", "run-09"]);
    expect(byLoss.at(-1)).toBe("run-05");
    expect((await ids({ sort: { field: "dataset", direction: "asc" } })).slice(0, 4).sort()).toEqual(["run-00", "run-01", "run-02", "run-03"]);
  });

  it("pages with a cursor through every sort without gaps or repeats", async () => {
    for (const sort of [
      { field: "createdAt", direction: "desc" as const },
      { field: "config.batch", direction: "asc" as const },
      { field: "metrics.val/loss.last", direction: "desc" as const },
      { field: "summary.best", direction: "asc" as const },
      { field: "method", direction: "asc" as const },
    ]) {
      const all = await ids({ sort });
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listRuns(db, { project: "p", sort, limit: 5, cursor });
        paged.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
      expect(all).toHaveLength(12);
    }
  });

  it("rejects bad fields and cursors naming them", async () => {
    await expect(listRuns(db, { project: "p", sort: { field: "colour" } })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "sort.field" });
    await expect(listRuns(db, { project: "p", cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "cursor" });
    await expect(listRuns(db, { project: "p", filter: { where: [{ field: "metrics.loss.min", op: "lt", value: "low" }] } })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "filter.where[0].value" });
  });
});
