import { z } from "zod";
import { AnyNumber, Id, JsonObject, JsonRecord, Name, ProjectSlug, RunId, RunProjectField, text } from "./common";
import { Dataset, DatasetFields } from "./dataset";
import { isPlainObject } from "./json-value";
import { MAX_NOTES_LENGTH, MAX_TAGS, MAX_TAG_LENGTH } from "./limits";

export const RunStatus = z.enum(["running", "finished", "failed", "crashed", "killed"], {
  error: "expected one of 'running', 'finished', 'failed', 'crashed', 'killed'",
});
export type RunStatus = z.infer<typeof RunStatus>;

/** How a run ended, as the client reports it ('crashed' is decided by the server). */
export const RunEndStatus = z.enum(["finished", "failed", "killed"], {
  error: "expected one of 'finished', 'failed', 'killed'",
});
export type RunEndStatus = z.infer<typeof RunEndStatus>;

export const Tags = z
  .array(text("expected a tag (string)").trim().min(1, { error: "expected a non-empty tag" }).max(MAX_TAG_LENGTH, { error: `expected at most ${MAX_TAG_LENGTH} characters` }))
  .max(MAX_TAGS, { error: `expected at most ${MAX_TAGS} tags` });

export const SystemInfo = JsonObject;

const ModelName = text().trim().min(1, { error: "expected a non-empty string" }).max(200);
const MethodName = text().trim().min(1, { error: "expected a non-empty method" }).max(64);
const Notes = text().max(MAX_NOTES_LENGTH, { error: `expected at most ${MAX_NOTES_LENGTH} characters` });

export const RunCreateInput = z
  .object({
    project: ProjectSlug,
    id: RunId.optional(),
    name: Name.optional(),
    group: Name.optional(),
    config: JsonObject.optional(),
    baseModel: ModelName.optional(),
    baseModelParams: z.number().int({ error: "expected an integer number of parameters" }).nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    dataset: DatasetFields.optional(),
    datasetId: Id.optional(),
    method: MethodName.optional(),
    tags: Tags.optional(),
    notes: Notes.optional(),
    seed: z.number().int({ error: "expected an integer seed" }).min(-2_147_483_648).max(2_147_483_647).optional(),
    system: SystemInfo.optional(),
    parentRunId: RunId.optional(),
  })
  .refine((v) => !(v.dataset && v.datasetId), {
    error: "expected either dataset or datasetId, not both",
    path: ["datasetId"],
  });
export type RunCreateInput = z.infer<typeof RunCreateInput>;

export const RunUpdateInput = z.object({
  id: RunId,
  ...RunProjectField,
  name: Name.optional(),
  tags: Tags.optional(),
  notes: Notes.optional(),
  /** Merged into the stored config (top-level keys). */
  config: JsonObject.optional(),
  /** Merged into the stored summary (top-level keys). */
  summary: JsonObject.optional(),
});
export type RunUpdateInput = z.infer<typeof RunUpdateInput>;

/** `run.delete`: hides the run (its data stays); `restore: true` brings it back (the dashboard's undo). */
export const RunDeleteInput = z.object({ id: RunId, ...RunProjectField, restore: z.boolean().default(false) });
export type RunDeleteInput = z.infer<typeof RunDeleteInput>;

export const RunIdInput = z.object({ id: RunId, ...RunProjectField });
export type RunIdInput = z.infer<typeof RunIdInput>;

export const RunFinishInput = z.object({
  id: RunId,
  ...RunProjectField,
  status: RunEndStatus.default("finished"),
  summary: JsonObject.optional(),
  error: text().max(MAX_NOTES_LENGTH, { error: `expected at most ${MAX_NOTES_LENGTH} characters` }).optional(),
});
export type RunFinishInput = z.input<typeof RunFinishInput>;

/** Kept current at ingest for every metric key of a run. Values may be NaN or ±Infinity. */
export const MetricStat = z.object({
  count: z.number(),
  first: AnyNumber,
  firstStep: z.number(),
  last: AnyNumber,
  lastStep: z.number(),
  min: AnyNumber,
  minStep: z.number(),
  max: AnyNumber,
  maxStep: z.number(),
});
export type MetricStat = z.infer<typeof MetricStat>;
export const METRIC_STAT_NAMES = ["count", "first", "firstStep", "last", "lastStep", "min", "minStep", "max", "maxStep"] as const;
export type MetricStatName = (typeof METRIC_STAT_NAMES)[number];

export const Run = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  group: z.string().nullable(),
  status: RunStatus,
  baseModel: z.string().nullable(),
  baseModelParams: z.number().nullable(),
  datasetId: z.string().nullable(),
  dataset: Dataset.nullable(),
  method: z.string().nullable(),
  config: JsonRecord,
  tags: z.array(z.string()),
  notes: z.string(),
  seed: z.number().nullable(),
  system: JsonRecord,
  summary: JsonRecord,
  /** At most MAX_RUN_METRIC_STATS keys (run.get) or MAX_LIST_METRIC_STATS (run.list), the first by name, so a run of 10,000 keys stays small. */
  metricStats: z.custom<Record<string, MetricStat>>(isPlainObject).meta({ override: { type: "object", additionalProperties: {} } }),
  /** Metric keys the run has; more than in metricStats when it was capped. */
  metricKeyCount: z.number(),
  error: z.string().nullable(),
  parentRunId: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  heartbeatAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type Run = z.infer<typeof Run>;
