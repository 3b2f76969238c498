import type { Run, RunCreateInput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { upsertDataset } from "../dataset/upsert-dataset";
import { getProject } from "../project/get-project";
import { AppError } from "../shared/app-error";
import { toJsonSafe } from "../shared/json";
import { isUniqueViolation } from "../shared/prisma-errors";
import { newRunId } from "../shared/secrets";
import { getRun } from "./get-run";
import { runInclude, toRun } from "./to-run";

/**
 * Creates a running run. Idempotent on `id`: creating an existing run of the same project
 * returns it unchanged (an SDK retrying, or a resumed job), so clients may always send their id.
 */
export async function createRun(db: Db, input: RunCreateInput): Promise<Run> {
  const project = await getProject(db, input.project);
  if (input.id) {
    const existing = await findExisting(db, input.id, project.id, input.project);
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
    const parent = await db.prisma.run.findUnique({ where: { id: input.parentRunId }, select: { projectId: true } });
    if (!parent || parent.projectId !== project.id) {
      throw new AppError("BAD_REQUEST", `expected an existing run of project '${input.project}', got '${input.parentRunId}'`, { field: "parentRunId" });
    }
  }
  const id = input.id ?? newRunId();
  const now = new Date();
  try {
    const row = await db.prisma.run.create({
      data: {
        id,
        projectId: project.id,
        name: input.name ?? id,
        group: input.group,
        baseModel: input.baseModel,
        baseModelParams: input.baseModelParams === undefined ? undefined : BigInt(input.baseModelParams),
        datasetId,
        method: input.method,
        config: toJsonSafe(input.config ?? {}) as object,
        tags: [...new Set(input.tags ?? [])],
        notes: input.notes ?? "",
        seed: input.seed,
        system: toJsonSafe(input.system ?? {}) as object,
        parentRunId: input.parentRunId,
        startedAt: now,
        heartbeatAt: now,
      },
      include: runInclude,
    });
    return toRun(row);
  } catch (error) {
    // The same id created concurrently: the other call won, and this one is its retry.
    if (input.id && isUniqueViolation(error)) {
      const existing = await findExisting(db, input.id, project.id, input.project);
      if (existing) return existing;
    }
    throw error;
  }
}

async function findExisting(db: Db, id: string, projectId: string, slug: string): Promise<Run | null> {
  const row = await db.prisma.run.findUnique({ where: { id }, select: { projectId: true } });
  if (!row) return null;
  if (row.projectId !== projectId) {
    throw new AppError("CONFLICT", `run id '${id}' is already used in another project than '${slug}'; pick another id`, { field: "id" });
  }
  return getRun(db, id);
}
