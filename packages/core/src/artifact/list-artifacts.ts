import type { Artifact } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { ARTIFACT_COLUMNS, toArtifact, type ArtifactQueryRow } from "./to-artifact";

/** A run's artifacts, oldest first; `known`: runs the request already resolved. */
export async function listArtifacts(db: Db, runId: string, known?: Map<string, ResolvedRun>): Promise<Artifact[]> {
  await getRunProjects(db, [runId], { field: "runId" }, known);
  // Raw SQL: metadata read back as stored, `__proto__` keys included (see to-artifact.ts).
  const { rows } = await db.pool.query<ArtifactQueryRow>(`SELECT ${ARTIFACT_COLUMNS} FROM "Artifact" WHERE "runId" = $1 ORDER BY "createdAt" ASC LIMIT 1000`, [runId]);
  return rows.map(toArtifact);
}
