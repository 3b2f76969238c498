import { z } from "zod";
import { ProjectSlug, RunId, text } from "./common";
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./limits";
import { METRIC_STAT_NAMES, Run, RunStatus, type MetricStatName } from "./run";

export const RUN_COLUMNS = [
  "name", "status", "createdAt", "startedAt", "finishedAt", "heartbeatAt", "updatedAt",
  "baseModel", "baseModelParams", "method", "group", "seed", "dataset",
] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

/**
 * A field of a run that lists can filter and sort on:
 * a column (`baseModel`), a config path (`config.optimizer.lr`), a client summary path
 * (`summary.best_val_loss`) or an ingest statistic (`metrics.val/loss.min`, the stat is the last segment).
 */
export type RunField =
  | { kind: "column"; column: RunColumn }
  | { kind: "config"; path: string[] }
  | { kind: "summary"; path: string[] }
  | { kind: "metric"; key: string; stat: MetricStatName };

export function parseRunField(text: string): RunField | string {
  if ((RUN_COLUMNS as readonly string[]).includes(text)) return { kind: "column", column: text as RunColumn };
  for (const kind of ["config", "summary"] as const) {
    if (text.startsWith(`${kind}.`)) {
      const path = text.slice(kind.length + 1).split(".");
      if (path.some((p) => p.length === 0)) return `expected a non-empty path after '${kind}.'`;
      return { kind, path };
    }
  }
  if (text.startsWith("metrics.")) {
    const rest = text.slice("metrics.".length);
    const dot = rest.lastIndexOf(".");
    const stat = rest.slice(dot + 1);
    if (dot <= 0 || !(METRIC_STAT_NAMES as readonly string[]).includes(stat)) {
      return `expected 'metrics.<key>.<stat>' with stat one of ${METRIC_STAT_NAMES.join(", ")}`;
    }
    return { kind: "metric", key: rest.slice(0, dot), stat: stat as MetricStatName };
  }
  return `expected a column (${RUN_COLUMNS.join(", ")}), 'config.<path>', 'summary.<path>' or 'metrics.<key>.<stat>'`;
}

export const RunFieldRef = text().min(1).max(400).superRefine((text, ctx) => {
  const parsed = parseRunField(text);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: `${parsed}, got '${text}'` });
});

const Scalar = z.union([z.number(), text(), z.boolean()], { error: "expected a number, string or boolean" });

export const RunCondition = z
  .object({
    field: RunFieldRef,
    op: z.enum(["eq", "ne", "lt", "lte", "gt", "gte", "in", "exists"], {
      error: "expected one of eq, ne, lt, lte, gt, gte, in, exists",
    }),
    value: z.union([Scalar, z.array(Scalar)]).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.op === "exists") return;
    if (c.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: `expected a value for op '${c.op}'` });
    else if (c.op === "in" && !Array.isArray(c.value)) ctx.addIssue({ code: "custom", path: ["value"], message: "expected an array for op 'in'" });
    else if (c.op !== "in" && Array.isArray(c.value)) ctx.addIssue({ code: "custom", path: ["value"], message: `expected a single value for op '${c.op}'` });
    else if (["lt", "lte", "gt", "gte"].includes(c.op) && typeof c.value === "boolean") {
      ctx.addIssue({ code: "custom", path: ["value"], message: `expected a number or string for op '${c.op}'` });
    }
  });
export type RunCondition = z.infer<typeof RunCondition>;

const NameList = z.array(text().min(1).max(200)).max(100);

export const RunFilter = z.object({
  status: z.array(RunStatus).max(5).optional(),
  /** Runs carrying every one of these tags. */
  tags: NameList.optional(),
  baseModel: NameList.optional(),
  /** Dataset names, or `name@version`. */
  dataset: NameList.optional(),
  method: NameList.optional(),
  group: NameList.optional(),
  parentRunId: RunId.optional(),
  /** Case-insensitive substring of the run name or id. */
  search: text().max(200).optional(),
  where: z.array(RunCondition).max(50).optional(),
});
export type RunFilter = z.infer<typeof RunFilter>;

export const RunSort = z.object({
  field: RunFieldRef,
  direction: z.enum(["asc", "desc"], { error: "expected 'asc' or 'desc'" }).default("desc"),
});
export type RunSort = z.infer<typeof RunSort>;

export const RunListInput = z.object({
  project: ProjectSlug,
  filter: RunFilter.optional(),
  sort: RunSort.optional(),
  cursor: text().max(2_000).nullish(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT, { error: `expected at most ${MAX_LIST_LIMIT}` }).default(DEFAULT_LIST_LIMIT),
});
export type RunListInput = z.input<typeof RunListInput>;

export const RunListOutput = z.object({
  items: z.array(Run),
  nextCursor: z.string().nullable(),
});
export type RunListOutput = z.infer<typeof RunListOutput>;
