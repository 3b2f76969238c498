import { randomUUID } from "node:crypto";
import type { Artifact, ArtifactLogInput } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { toJsonSafe } from "../shared/json";
import { ARTIFACT_COLUMNS, toArtifact, type ArtifactQueryRow } from "./to-artifact";

/** One artifact per (run, name); logging the same name again replaces its description. `known`: runs the request already resolved. */
export async function logArtifact(db: Db, input: ArtifactLogInput, known?: Map<string, ResolvedRun>): Promise<Artifact> {
  const { seq } = (await getRunProjects(db, [input.runId], { field: "runId", code: "BAD_REQUEST" }, known)).get(input.runId)!;
  // Raw SQL, not Prisma: Prisma's JSON input drops a `__proto__` key, and keys are data (as in create-run.ts).
  const { rows } = await db.pool.query<ArtifactQueryRow>(
    `INSERT INTO "Artifact" ("id", "runSeq", "name", "kind", "uri", "bytes", "sha256", "metadata")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     ON CONFLICT ("runSeq", "name") DO UPDATE SET "kind" = EXCLUDED."kind", "uri" = EXCLUDED."uri", "bytes" = EXCLUDED."bytes",
       "sha256" = EXCLUDED."sha256", "metadata" = EXCLUDED."metadata"
     RETURNING ${ARTIFACT_COLUMNS}`,
    [
      randomUUID(), seq, input.name, input.kind, input.uri, input.bytes === undefined ? null : String(input.bytes),
      input.sha256 ?? null, JSON.stringify(toJsonSafe(input.metadata ?? {})),
    ],
  );
  return toArtifact(rows[0], input.runId);
}
