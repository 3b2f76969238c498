import type { Artifact } from "@finetrack/contracts";
import type { Artifact as ArtifactRow } from "@finetrack/db";
import { asRecord } from "../shared/json";

/** The columns an artifact query returns; `bytes` as pg hands a BIGINT over (text). */
export type ArtifactQueryRow = Omit<ArtifactRow, "bytes" | "runSeq"> & { bytes: bigint | string | null };

/** The columns, for raw SQL: metadata as pg parses JSONB (JSON.parse), so `__proto__` stays a key. */
export const ARTIFACT_COLUMNS = `"id", "name", "kind", "uri", "bytes", "sha256", "metadata", "createdAt"`;

/** `runId`: the run's own id (artifacts reference the run by its internal seq). */
export function toArtifact(row: ArtifactQueryRow, runId: string): Artifact {
  return { ...row, runId, bytes: row.bytes === null ? null : Number(row.bytes), metadata: asRecord(row.metadata) };
}
