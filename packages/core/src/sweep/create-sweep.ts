import { randomUUID } from "node:crypto";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import type { PoolClient } from "../shared/pg-types";
import { newRunId } from "../shared/secrets";
import { withTransaction } from "../shared/with-transaction";
import type { ProjectRef } from "./load-sweep";
import { onClient, sweepQueue } from "./sweep-queue";
import { MAX_SWEEP_TRIALS, queueName, SweepSpec, type SweepSpecInput } from "./sweep-spec";
import { suggestTrials } from "./suggest-trials";

export interface CreateSweepInput {
  spec: SweepSpecInput;
  /** grid / random: every trial's values, expanded by the client from the sweep file. tpe: none (the server suggests). */
  trials?: Record<string, unknown>[];
}

/** Creates the sweep, its trials and the pg-boss queue `sweep_<id>` with one job per trial, in one transaction. */
export async function createSweep(db: Db, project: ProjectRef, input: CreateSweepInput): Promise<{ id: string; trialCount: number; queue: string }> {
  const spec = SweepSpec.parse(input.spec);
  const given = input.trials ?? [];
  if (spec.method === "tpe" && given.length) throw new AppError("BAD_REQUEST", "a tpe sweep takes no trials: the server suggests them", { field: "trials" });
  if (spec.method !== "tpe" && given.length === 0) throw new AppError("BAD_REQUEST", `expected at least one trial for a ${spec.method} sweep`, { field: "trials" });
  const trialCount = spec.method === "tpe" ? spec.count! : given.length;
  if (trialCount > MAX_SWEEP_TRIALS) throw new AppError("BAD_REQUEST", `expected at most ${MAX_SWEEP_TRIALS} trials, got ${trialCount}`, { field: "trials" });
  const boss = await sweepQueue(db);
  const id = newRunId();
  const queue = queueName(id);
  return withTransaction(db, async (client) => {
    await client.query(
      `INSERT INTO "Sweep" ("id", "projectId", "name", "group", "method", "config", "trialCount", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now())`,
      [id, project.id, spec.name, spec.group, spec.method, JSON.stringify(spec), trialCount],
    );
    await boss.createQueue(queue, { name: queue, retryLimit: spec.retries, retryDelay: 0, expireInHours: 23 } as never);
    const first = spec.method === "tpe" ? suggestTrials(spec, [], Math.min(spec.startupTrials, trialCount), 0) : given;
    await enqueueTrials(client, boss, id, spec, first, 0);
    return { id, trialCount, queue };
  });
}

/** Inserts trials `from`, `from + 1`, … and one pg-boss job each (the job id is kept on the trial); the
 *  priority makes agents take them in the sweep's order (pg-boss fetches by priority, then age). */
export async function enqueueTrials(client: PoolClient, boss: import("pg-boss"), sweepId: string, spec: SweepSpec, assignments: Record<string, unknown>[], from: number): Promise<void> {
  if (assignments.length === 0) return;
  const ids = assignments.map(() => `${sweepId}-${newRunId().slice(0, 6)}`);
  const jobIds = assignments.map(() => randomUUID());
  await client.query(
    `INSERT INTO "Trial" ("id", "sweepId", "index", "assignment", "jobId")
     SELECT t.id, $1, t.i, t.a, t.j FROM unnest($2::text[], $3::int[], $4::jsonb[], $5::uuid[]) AS t(id, i, a, j)`,
    [sweepId, ids, assignments.map((_, i) => from + i), assignments.map((a) => JSON.stringify(a)), jobIds],
  );
  await boss.insert(
    ids.map((trialId, i) => ({ id: jobIds[i], name: queueName(sweepId), data: { trialId }, priority: MAX_SWEEP_TRIALS - (from + i), retryLimit: spec.retries, retryDelay: 0, expireInSeconds: 23 * 3600 })),
    { db: onClient(client) },
  );
}
