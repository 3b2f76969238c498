import { z } from "zod";
import { JsonObject, JsonRecord, Name, PageInput, RunId, RunProjectField, text } from "./common";

export const ArtifactLogInput = z.object({
  runId: RunId,
  ...RunProjectField,
  name: Name,
  kind: text().min(1, { error: "expected a non-empty kind" }).max(64),
  uri: text().min(1, { error: "expected a non-empty uri or path" }).max(4_000),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected 64 lowercase hex characters" }).optional(),
  metadata: JsonObject.optional(),
});
export type ArtifactLogInput = z.infer<typeof ArtifactLogInput>;

export const ArtifactListInput = z.object({ runId: RunId, ...RunProjectField, ...PageInput });
export type ArtifactListInput = z.infer<typeof ArtifactListInput>;

export const Artifact = z.object({
  id: z.string(),
  runId: z.string(),
  name: z.string(),
  kind: z.string(),
  uri: z.string(),
  bytes: z.number().nullable(),
  sha256: z.string().nullable(),
  metadata: JsonRecord,
  createdAt: z.date(),
});
export type Artifact = z.infer<typeof Artifact>;
