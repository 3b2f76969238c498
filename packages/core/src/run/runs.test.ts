import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../project/create-project";
import { getProject } from "../project/get-project";
import { createRun } from "./create-run";
import { finishRun } from "./finish-run";
import { getRun } from "./get-run";
import { getRunProjects } from "./get-run-project";
import { heartbeatRun } from "./heartbeat-run";
import { markCrashedRuns } from "./mark-crashed-runs";
import { updateRun } from "./update-run";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "other", name: "Other" });
});
afterAll(() => db?.close());

describe("runs", () => {
  it("creates a run with its dataset, idempotently on id", async () => {
    const input = {
      project: "p", id: "r1", name: "first", group: "sweep-1", config: { lr: 0.001, nested: { depth: 2 }, bad: NaN },
      baseModel: "tiny-gpt", baseModelParams: 1_500_000_000, method: "lora", tags: ["a", "b", "a"], seed: 7,
      dataset: { name: "alpaca", contentHash: "abc", trainSize: 100, validationSize: 10 }, system: { backend: "wasm" },
    };
    const run = await createRun(db, input);
    expect(run).toMatchObject({
      id: "r1", name: "first", status: "running", group: "sweep-1", baseModelParams: 1_500_000_000, tags: ["a", "b"],
      config: { lr: 0.001, nested: { depth: 2 }, bad: "NaN" }, dataset: { name: "alpaca", version: "abc", trainSize: 100 },
    });
    expect(run.heartbeatAt).toBeInstanceOf(Date);
    const again = await createRun(db, { ...input, name: "renamed?" });
    expect(again).toEqual(run);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "Run"`);
    expect(rows[0].n).toBe(1);
  });

  it("an id taken in another project is free here: each project holds its own run (ids are unique per project)", async () => {
    const mine = { projectId: (await getProject(db, "p")).id };
    const theirs = await createRun(db, { project: "other", id: "r1", name: "theirs", config: { lr: 2 } });
    expect(theirs).toMatchObject({ id: "r1", name: "theirs", projectId: expect.not.stringMatching(mine.projectId), config: { lr: 2 }, dataset: null });
    // The same id again in "other" is the idempotent re-create of other's run, not of p's.
    expect(await createRun(db, { project: "other", id: "r1", config: { lr: 2 } })).toEqual(theirs);
    await expect(createRun(db, { project: "other", id: "r1", config: { lr: 3 } })).rejects.toMatchObject({ code: "CONFLICT", field: "config.lr" });
    // Looked up without a project, the bare id is ambiguous: a 400 asking for the project.
    await expect(getRun(db, "r1")).rejects.toMatchObject({ code: "BAD_REQUEST", field: "id", message: expect.stringContaining("name the project with 'project'") });
    await expect(updateRun(db, { id: "r1", notes: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "id" });
    const inOther = await getRunProjects(db, ["r1"], { projectIds: [theirs.projectId] });
    expect((await getRun(db, "r1", inOther)).name).toBe("theirs");
    expect((await getRun(db, "r1", await getRunProjects(db, ["r1"], { projectIds: [mine.projectId] }))).name).toBe("first");
    // A parent is looked up in the child's project only.
    const child = await createRun(db, { project: "other", parentRunId: "r1" });
    expect(child).toMatchObject({ parentRunId: "r1", projectId: theirs.projectId });
  });

  it("refuses unknown references, naming the field", async () => {
    await expect(createRun(db, { project: "p", parentRunId: "ghost" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "parentRunId" });
    await expect(createRun(db, { project: "p", datasetId: "ghost" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "datasetId" });
    await expect(createRun(db, { project: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "project: project 'nope' not found" });
    await expect(createRun(db, { project: "p", dataset: { name: "alpaca", version: "abc", contentHash: "zzz" } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("generates ids, links parents and reuses datasets", async () => {
    const child = await createRun(db, { project: "p", parentRunId: "r1", dataset: { name: "alpaca", contentHash: "abc" } });
    expect(child.id).toMatch(/^[a-z0-9]{12}$/);
    expect(child.parentRunId).toBe("r1");
    const p = await getRunProjects(db, ["r1"], { projectIds: [child.projectId] });
    expect(child.datasetId).toBe((await getRun(db, "r1", p)).datasetId);
  });

  it("merges config and summary on update", async () => {
    await createRun(db, { project: "p", id: "u1", config: { lr: 1, batch: 8 } });
    await updateRun(db, { id: "u1", config: { batch: 16, warmup: 10 }, summary: { best: 0.5 } });
    const run = await updateRun(db, { id: "u1", tags: ["x"], notes: "n", summary: { final: Infinity } });
    expect(run).toMatchObject({ config: { lr: 1, batch: 16, warmup: 10 }, summary: { best: 0.5, final: "Infinity" }, tags: ["x"], notes: "n" });
    await expect(updateRun(db, { id: "ghost", notes: "x" })).rejects.toMatchObject({ code: "NOT_FOUND", field: "id" });
  });

  it("finishes with a status and a final summary", async () => {
    await createRun(db, { project: "p", id: "f1" });
    const run = await finishRun(db, { id: "f1", status: "failed", summary: { loss: 1 }, error: "OOM" });
    expect(run).toMatchObject({ status: "failed", summary: { loss: 1 }, error: "OOM" });
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it("marks silent running runs crashed, and a heartbeat brings one back", async () => {
    await createRun(db, { project: "p", id: "silent" });
    await createRun(db, { project: "p", id: "alive" });
    await db.pool.query(`UPDATE "Run" SET "heartbeatAt" = now() - interval '10 minutes' WHERE id = 'silent'`);
    const crashed = await markCrashedRuns(db, { timeoutMs: 5 * 60_000 });
    expect(crashed).toEqual(["silent"]);
    expect((await getRun(db, "silent")).status).toBe("crashed");
    expect((await getRun(db, "alive")).status).toBe("running");
    expect((await getRun(db, "f1")).status).toBe("failed");
    expect(await markCrashedRuns(db, { timeoutMs: 5 * 60_000 })).toEqual([]);
    expect((await heartbeatRun(db, "silent")).status).toBe("running");
    await expect(heartbeatRun(db, "ghost")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
