import { createApiKey, createProject, createRun, logMetrics } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb, recordQueries } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCall, type Call } from "./test/transports";

/**
 * Round trips to PostgreSQL per request, for the hot procedures, with auth on (an API key, so the
 * request authenticates, authorizes and then reads): each run is resolved once per request.
 * Counts every statement of every pool (Prisma's adapter included), BEGIN/COMMIT too.
 */
let db: Db;
let call: Call;
const RUN = "counted-run";

beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  const key = await createApiKey(db, { project: "p", name: "writer", scopes: ["write"] });
  await createRun(db, { project: "p", id: RUN, config: { lr: 0.001 } });
  const points = Array.from({ length: 40 }, (_, step) => [
    { key: "train/loss", step, value: 2 / (step + 1) },
    { key: "eval/loss", step, value: 1 + Math.abs(step - 20) / 40 },
  ]).flat();
  await logMetrics(db, { runId: RUN, points });
  call = makeCall("caller", { db, url: "", headers: { authorization: `Bearer ${key.secret}` } });
  await call("run.get", { id: RUN }); // first use of the key writes lastUsedAt (once a minute)
  await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await db?.close();
});

async function count(path: string, input: unknown): Promise<string[]> {
  const log = recordQueries();
  try {
    await call(path, input);
  } finally {
    log.stop();
  }
  return log.statements;
}

/** Statements that look a run up by its text id (the resolve; everything after it goes by seq). */
const byRunId = (statements: string[]) => statements.filter((s) => /FROM "Run"( r)? WHERE (r\.)?"id"/.test(s));

// Before the move (same test, commit 4e0ce2c): run.get 5, series 5, keys 4, points 4, logBatch 10,
// diagnose 8, with the run looked up by id 3, 2, 3, 3, 2 and 4 times (plus Prisma's 2-query include);
// run.list 7 (the project twice, Prisma's run + dataset, the stats page).
describe("queries per request", () => {
  it.each([
    // authenticate, resolveRuns, the run with its dataset and stats page
    ["run.get", { id: RUN }, 3],
    // authenticate, resolveRuns, stats of the keys with their ids, raw curves
    ["metric.series", { runIds: [RUN], keys: ["train/loss", "eval/loss"] }, 4],
    // authenticate, resolveRuns, the keys
    ["metric.keys", { runIds: [RUN] }, 3],
    // authenticate, resolveRuns, the page
    ["metric.points", { runId: RUN, key: "train/loss", afterStep: -1, limit: 100 }, 3],
    // authenticate, resolveRuns, BEGIN + row lock by seq, tier reads and writes (3 here), COPY points, stats, COMMIT
    ["metric.logBatch", { runId: RUN, points: [{ key: "train/loss", step: 100, value: 0.01 }] }, 9],
    // authenticate, resolveRuns, the run, stats of the keys with their ids, raw curves
    ["analysis.diagnose", { runId: RUN }, 5],
    // Naming the run's project (the dashboard always does): no more, the caller's own role names it
    ["run.get", { id: RUN, project: "p" }, 3],
    ["metric.series", { project: "p", runIds: [RUN], keys: ["train/loss", "eval/loss"] }, 4],
  ] as const)("%s: bounded statements, one lookup of the run by id", async (path, input, most) => {
    const statements = await count(path, input);
    const listing = statements.map((s) => s.replace(/\s+/g, " ").slice(0, 120)).join("\n  ");
    expect(statements.length, `${path} sent:\n  ${listing}`).toBeLessThanOrEqual(most);
    expect(byRunId(statements), listing).toHaveLength(1);
  });

  it("run.list: the project is looked up once", async () => {
    const statements = await count("run.list", { project: "p" });
    const listing = statements.map((s) => s.replace(/\s+/g, " ").slice(0, 120)).join("\n  ");
    // authenticate, the project, the page's ids, the page's runs with datasets and stats
    expect(statements.length, `run.list sent:\n  ${listing}`).toBeLessThanOrEqual(4);
  });
});
