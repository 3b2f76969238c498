import type { Artifact } from "@finetrack/contracts";
import type { Artifact as ArtifactRow } from "@finetrack/db";
import { asRecord } from "../shared/json";

export function toArtifact(row: ArtifactRow): Artifact {
  return { ...row, bytes: row.bytes === null ? null : Number(row.bytes), metadata: asRecord(row.metadata) };
}
