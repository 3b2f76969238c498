import type { Artifact } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { toArtifact } from "./to-artifact";

/** A run's artifacts, oldest first; `known`: runs the request already resolved. */
export async function listArtifacts(db: Db, runId: string, known?: Map<string, ResolvedRun>): Promise<Artifact[]> {
  await getRunProjects(db, [runId], { field: "runId" }, known);
  const rows = await db.prisma.artifact.findMany({ where: { runId }, orderBy: { createdAt: "asc" }, take: 1_000 });
  return rows.map(toArtifact);
}
