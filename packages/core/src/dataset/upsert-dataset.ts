import type { Dataset, DatasetFields } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { isUniqueViolation } from "../shared/prisma-errors";

export const UNVERSIONED = "unversioned";

/**
 * One row per (project, name, version); the version defaults to the content hash. Re-upserting
 * fills in what was missing; a different content hash under the same version is a CONFLICT.
 */
export async function upsertDataset(db: Db, projectId: string, input: DatasetFields, field = "dataset"): Promise<Dataset> {
  const version = input.version ?? input.contentHash ?? UNVERSIONED;
  const where = { projectId_name_version: { projectId, name: input.name, version } };
  const fields = {
    contentHash: input.contentHash,
    trainSize: input.trainSize,
    validationSize: input.validationSize,
    testSize: input.testSize,
    source: input.source,
    description: input.description,
  };
  for (let attempt = 0; ; attempt++) {
    const existing = await db.prisma.dataset.findUnique({ where });
    if (existing) {
      if (input.contentHash && existing.contentHash && existing.contentHash !== input.contentHash) {
        throw new AppError(
          "CONFLICT",
          `dataset '${input.name}' version '${version}' has content hash '${existing.contentHash}', got '${input.contentHash}'; give the changed data a new version`,
          { field: `${field}.contentHash` },
        );
      }
      const changes = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== undefined && v !== existing[k as keyof typeof existing]));
      if (Object.keys(changes).length === 0) return existing;
      return db.prisma.dataset.update({ where: { id: existing.id }, data: changes });
    }
    try {
      return await db.prisma.dataset.create({ data: { projectId, name: input.name, version, ...fields, description: input.description ?? "" } });
    } catch (error) {
      // A concurrent upsert created it first; read it back.
      if (!isUniqueViolation(error) || attempt > 0) throw error;
    }
  }
}
