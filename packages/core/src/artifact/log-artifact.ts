import type { Artifact, ArtifactLogInput } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { toJsonSafe } from "../shared/json";
import { toArtifact } from "./to-artifact";

/** One artifact per (run, name); logging the same name again replaces its description. `known`: runs the request already resolved. */
export async function logArtifact(db: Db, input: ArtifactLogInput, known?: Map<string, ResolvedRun>): Promise<Artifact> {
  await getRunProjects(db, [input.runId], { field: "runId", code: "BAD_REQUEST" }, known);
  const data = {
    kind: input.kind,
    uri: input.uri,
    bytes: input.bytes === undefined ? null : BigInt(input.bytes),
    sha256: input.sha256 ?? null,
    metadata: toJsonSafe(input.metadata ?? {}) as object,
  };
  const row = await db.prisma.artifact.upsert({
    where: { runId_name: { runId: input.runId, name: input.name } },
    create: { runId: input.runId, name: input.name, ...data },
    update: data,
  });
  return toArtifact(row);
}
