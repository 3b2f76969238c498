import type { Artifact, Page } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { pageLimit, unknownCursor } from "../shared/page";
import { ARTIFACT_COLUMNS, toArtifact, type ArtifactQueryRow } from "./to-artifact";

/** A run's artifacts, oldest first, a page at a time (`page.cursor`: the last id of the previous page); `known`: runs the request already resolved. */
export async function listArtifacts(db: Db, runId: string, known?: Map<string, ResolvedRun>, page: Page = {}): Promise<Artifact[]> {
  const { seq } = (await getRunProjects(db, [runId], { field: "runId" }, known)).get(runId)!;
  let after = "";
  const params: unknown[] = [seq, pageLimit(page)];
  if (page.cursor) {
    const last = await db.pool.query(`SELECT 1 FROM "Artifact" WHERE "runSeq" = $1 AND "id" = $2`, [seq, page.cursor]);
    if (last.rowCount === 0) throw unknownCursor(page.cursor);
    params.push(page.cursor);
    after = `AND ("createdAt", "id") > (SELECT "createdAt", "id" FROM "Artifact" WHERE "id" = $3)`;
  }
  // Raw SQL: metadata read back as stored, `__proto__` keys included (see to-artifact.ts).
  const { rows } = await db.pool.query<ArtifactQueryRow>(`SELECT ${ARTIFACT_COLUMNS} FROM "Artifact" WHERE "runSeq" = $1 ${after} ORDER BY "createdAt", "id" LIMIT $2`, params);
  return rows.map((row) => toArtifact(row, runId));
}
