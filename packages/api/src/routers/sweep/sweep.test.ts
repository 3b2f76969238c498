import { createApiKey, createProject, createRun, logMetrics } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../../http-server";
import { failure, makeCall, type Call } from "../../test/transports";

let db: Db;
let server: HttpServer;
let as: Record<"write" | "read" | "other", Call>;

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "q", name: "Q" });
  const key = async (project: string, scopes: ("read" | "write")[]) => (await createApiKey(db, { project, name: scopes.join(), scopes })).secret;
  const call = (secret: string) => makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${secret}` } });
  as = { write: call(await key("p", ["write"])), read: call(await key("p", ["read"])), other: call(await key("q", ["write"])) };
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const spec = (extra: Record<string, unknown> = {}) => ({ name: "s", group: "g", method: "grid", command: ["node", "x.js"], ...extra });

async function newSweep(trials: number, extra: Record<string, unknown> = {}) {
  const { id } = await as.write("sweep.create", { project: "p", spec: spec(extra), trials: Array.from({ length: trials }, (_, i) => ({ lr: i })) });
  const { agentId } = await as.write("sweep.registerAgent", { project: "p", sweepId: id, host: "h" });
  return { id, ref: { project: "p", sweepId: id, agentId } };
}

describe("sweep procedures", () => {
  it("refuse bad sweeps with a 400 naming the field, and write nothing", async () => {
    expect(await failure(as.write("sweep.create", { project: "p", spec: spec({ method: "bayes" }), trials: [{}] }))).toMatchObject({ code: "BAD_REQUEST", field: "spec.method", message: expect.stringMatching(/expected 'grid', 'random' or 'tpe'/) });
    expect(await failure(as.write("sweep.create", { project: "p", spec: spec({ trainer: {} }), trials: [{}] }))).toMatchObject({ code: "BAD_REQUEST", field: "spec.command" });
    expect(await failure(as.write("sweep.create", { project: "p", spec: spec(), trials: [] }))).toMatchObject({ code: "BAD_REQUEST", field: "trials" });
    expect(await failure(as.write("sweep.create", { project: "p", spec: spec({ method: "tpe" }) }))).toMatchObject({ code: "BAD_REQUEST", field: "spec.count" });
    expect(await as.read("sweep.list", { project: "p" })).toEqual([]);
  });

  it("a trial is claimed once, completed once; a repeat or stale report is a CONFLICT; other projects see nothing", async () => {
    const { id, ref } = await newSweep(2);
    const a = await as.write("sweep.claim", ref);
    const b = await as.write("sweep.claim", ref);
    expect(a.status).toBe("claimed");
    expect(new Set([a.trial.index, b.trial.index])).toEqual(new Set([0, 1]));
    expect(await as.write("sweep.claim", ref)).toEqual({ trial: null, status: "waiting" });
    const at = { ...ref, trialId: a.trial.id, attempt: a.trial.attempt };
    expect(await as.write("sweep.heartbeat", at)).toEqual({ stop: false, reason: null });
    expect(await as.write("sweep.complete", at)).toMatchObject({ state: "finished" });
    expect(await failure(as.write("sweep.complete", at))).toMatchObject({ code: "CONFLICT", field: "attempt" });
    expect(await failure(as.write("sweep.heartbeat", at))).toMatchObject({ code: "CONFLICT" });
    await as.write("sweep.complete", { ...ref, trialId: b.trial.id, attempt: 1 });
    expect(await as.write("sweep.claim", ref)).toEqual({ trial: null, status: "done" });
    expect((await as.read("sweep.get", { project: "p", sweepId: id })).status).toBe("finished");
    expect(await failure(as.other("sweep.get", { project: "q", sweepId: id }))).toMatchObject({ code: "NOT_FOUND", message: `sweepId: sweep '${id}' not found in project 'q'` });
    expect(await failure(as.read("sweep.claim", ref))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("release hands a trial back without using a retry; failures are bounded and kept", async () => {
    const { id, ref } = await newSweep(1, { retries: 1 });
    const first = (await as.write("sweep.claim", ref)).trial;
    expect(await as.write("sweep.fail", { ...ref, trialId: first.id, attempt: 1, error: "interrupted", release: true })).toEqual({ state: "queued" });
    for (const attempt of [2, 3]) {
      const t = (await as.write("sweep.claim", ref)).trial;
      expect(t.attempt).toBe(attempt);
      const result = await as.write("sweep.fail", { ...ref, trialId: t.id, attempt, error: `boom ${attempt}` });
      expect(result.state).toBe(attempt === 2 ? "queued" : "failed");
    }
    const detail = await as.read("sweep.get", { project: "p", sweepId: id });
    expect(detail.trials[0]).toMatchObject({ state: "failed", error: "boom 3" });
    expect(detail.trials[0].errors.map((e: { error: string }) => e.error)).toEqual(["boom 2", "boom 3"]);
    expect(detail.status).toBe("finished");
  });

  it("cancel takes queued trials off the queue and stops running ones; resume puts them back", async () => {
    const { id, ref } = await newSweep(3);
    const running = (await as.write("sweep.claim", ref)).trial;
    expect(await as.write("sweep.cancel", { project: "p", sweepId: id })).toEqual({ status: "cancelled", trials: 2 });
    expect(await as.write("sweep.claim", ref)).toEqual({ trial: null, status: "cancelled" });
    const at = { ...ref, trialId: running.id, attempt: 1 };
    expect(await as.write("sweep.heartbeat", at)).toEqual({ stop: true, reason: "the sweep was cancelled" });
    expect(await as.write("sweep.complete", at)).toMatchObject({ state: "cancelled" });
    expect(await as.write("sweep.resume", { project: "p", sweepId: id })).toEqual({ status: "running", trials: 3 });
    const again = [];
    for (let i = 0; i < 3; i++) again.push((await as.write("sweep.claim", ref)).trial.index);
    expect(again.sort()).toEqual([0, 1, 2]);
  });

  it("tpe: the server suggests trials from results until count; the objective is the run's best metric", async () => {
    const { id } = await as.write("sweep.create", { project: "p", spec: spec({ method: "tpe", count: 4, startupTrials: 2, parameters: { lr: { min: 0.001, max: 1, distribution: "log_uniform" } } }) });
    const { agentId } = await as.write("sweep.registerAgent", { project: "p", sweepId: id, host: "h" });
    const ref = { project: "p", sweepId: id, agentId };
    for (let i = 0; i < 4; i++) {
      const { trial } = await as.write("sweep.claim", ref);
      expect(trial.index).toBe(i);
      expect(trial.assignment.lr).toBeGreaterThanOrEqual(0.001);
      await createRun(db, { project: "p", id: trial.runId });
      await logMetrics(db, { runId: trial.runId, points: [{ key: "val/loss", step: 0, value: trial.assignment.lr }] });
      expect(await as.write("sweep.complete", { ...ref, trialId: trial.id, attempt: 1 })).toEqual({ state: "finished", objective: trial.assignment.lr });
    }
    const detail = await as.read("sweep.get", { project: "p", sweepId: id });
    expect(detail.trials).toHaveLength(4);
    expect(detail.status).toBe("finished");
    expect(detail.best.objective).toBe(Math.min(...detail.trials.map((t: { objective: number }) => t.objective)));
    const run = await as.read("run.get", { id: detail.trials[0].runId });
    expect(run).toMatchObject({ group: "g", config: { lr: detail.trials[0].assignment.lr } });
  });
});
