import type { Run, RunCreateInput } from "@finetrack/contracts";
import { insertRun, resolveRuns, type Db } from "@finetrack/db";
import { upsertDataset } from "../dataset/upsert-dataset";
import { getProject } from "../project/get-project";
import { AppError } from "../shared/app-error";
import { UNVERSIONED } from "../dataset/upsert-dataset";
import { canonicalJson, toJsonSafe } from "../shared/json";
import { isUniqueViolation } from "../shared/prisma-errors";
import { newRunId } from "../shared/secrets";
import { getRun } from "./get-run";

/**
 * Creates a running run. Idempotent on `id`: creating an existing run of the same project with the
 * same immutable fields (see IMMUTABLE_FIELDS) returns it unchanged (an SDK retrying, or a resumed
 * job), so clients may always send their id; different immutable fields are a CONFLICT naming them.
 * Run ids are unique per project: an id taken in another project is simply free here (and nothing
 * about that other run shows).
 */
export async function createRun(db: Db, input: RunCreateInput): Promise<Run> {
  const project = await getProject(db, input.project);
  if (input.id) {
    const existing = await findExisting(db, input.id, project.id, input);
    if (existing) return existing;
  }
  let datasetId: string | undefined;
  if (input.dataset) datasetId = (await upsertDataset(db, project.id, input.dataset)).id;
  if (input.datasetId) {
    const ds = await db.prisma.dataset.findFirst({ where: { id: input.datasetId, projectId: project.id }, select: { id: true } });
    if (!ds) throw new AppError("BAD_REQUEST", `expected a dataset id of project '${input.project}', got '${input.datasetId}'`, { field: "datasetId" });
    datasetId = ds.id;
  }
  if (input.parentRunId) {
    const [parent] = await resolveRuns(db.pool, [input.parentRunId], [project.id]);
    if (!parent) {
      throw new AppError("BAD_REQUEST", `expected an existing run of project '${input.project}', got '${input.parentRunId}'`, { field: "parentRunId" });
    }
  }
  const id = input.id ?? newRunId();
  const now = new Date();
  try {
    const run = await insertRun(db.pool, {
      id, projectId: project.id, name: input.name ?? id, group: input.group ?? null, baseModel: input.baseModel ?? null,
      baseModelParams: input.baseModelParams === undefined ? null : String(input.baseModelParams), datasetId: datasetId ?? null, method: input.method ?? null,
      configJson: JSON.stringify(toJsonSafe(input.config ?? {})), tags: [...new Set(input.tags ?? [])], notes: input.notes ?? "", seed: input.seed ?? null,
      systemJson: JSON.stringify(toJsonSafe(input.system ?? {})), parentRunId: input.parentRunId ?? null, startedAt: now,
    });
    return await getRun(db, id, new Map([[id, run]]));
  } catch (error) {
    // The same id created concurrently: the other call won, and this one is its retry.
    if (input.id && isUniqueViolation(error)) {
      const existing = await findExisting(db, input.id, project.id, input);
      if (existing) return existing;
    }
    throw error;
  }
}

async function findExisting(db: Db, id: string, projectId: string, input: RunCreateInput): Promise<Run | null> {
  const [row] = await resolveRuns(db.pool, [id], [projectId]);
  if (!row) return null;
  const run = await getRun(db, id, new Map([[id, row]]));
  const differ = differingFields(run, input);
  if (differ.length > 0) {
    throw new AppError(
      "CONFLICT",
      `run '${id}' already exists with different ${differ.join(", ")}; these are fixed at creation, so send the values it was created with or pick a new run id`,
      { field: differ[0], details: { fields: differ } },
    );
  }
  return run;
}

/**
 * What a repeated run.create must match: the run's identity as created. name, tags and notes are not
 * compared (run.update changes them), nor system (a resumed job runs on another host). The config
 * compares key by key: each top-level key sent must hold the same value, and keys the run got later
 * from run.update are not a difference (a changed one is).
 */
export const IMMUTABLE_FIELDS = ["group", "baseModel", "baseModelParams", "method", "seed", "parentRunId", "dataset", "datasetId", "config"] as const;

function differingFields(run: Run, input: RunCreateInput): string[] {
  const differ: string[] = [];
  const columns = { group: input.group, baseModel: input.baseModel, baseModelParams: input.baseModelParams, method: input.method, seed: input.seed, parentRunId: input.parentRunId };
  for (const [field, sent] of Object.entries(columns)) if ((sent ?? null) !== run[field as keyof typeof columns]) differ.push(field);
  if (input.datasetId !== undefined && input.datasetId !== run.datasetId) differ.push("datasetId");
  if (input.dataset) {
    const version = input.dataset.version ?? input.dataset.contentHash ?? UNVERSIONED;
    if (run.dataset?.name !== input.dataset.name || run.dataset.version !== version) differ.push("dataset");
  } else if (input.datasetId === undefined && run.datasetId !== null) differ.push("dataset");
  const sent = toJsonSafe(input.config ?? {});
  for (const key of Object.keys(sent)) {
    if (!Object.prototype.hasOwnProperty.call(run.config, key) || canonicalJson(sent[key]) !== canonicalJson(run.config[key])) differ.push(`config.${key}`);
  }
  return differ;
}
