import type { Artifact } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { toArtifact } from "./to-artifact";

export async function listArtifacts(db: Db, runId: string): Promise<Artifact[]> {
  await getRunProjects(db, [runId], { field: "runId" });
  const rows = await db.prisma.artifact.findMany({ where: { runId }, orderBy: { createdAt: "asc" }, take: 1_000 });
  return rows.map(toArtifact);
}
