import { MAX_NAME_LENGTH, recognizeRunFields, type LogBatchInput, type LogBatchOutput } from "@finetrack/contracts";
import { findProjectRunIds, readMlflowBatchRun, saveMlflowBatchFields, type Db, type MlflowBatchRun, type ResolvedRun } from "@finetrack/db";
import { upsertDataset } from "../dataset/upsert-dataset";
import { logMetrics } from "../metric/log-metrics";
import { AppError } from "../shared/app-error";
import { asRecord } from "../shared/json";
import { applyMlflowTags, type MlflowTagState } from "./apply-mlflow-tags";
import { PARENT_RUN_TAG, type MlflowBatch } from "./mlflow-types";
import { placeMlflowSteps } from "./place-mlflow-steps";
import { toMlflowParams } from "./to-mlflow-params";

export function stringRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value)).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export function tagStateOf(row: Pick<MlflowBatchRun, "name" | "notes" | "tags" | "parentRunId" | "system">): MlflowTagState {
  return { name: row.name, notes: row.notes, parentRunId: row.parentRunId, labels: row.tags, mlflowTags: stringRecord(asRecord(row.system).mlflowTags) };
}

export function assertActive(row: { id: string; deletedAt: Date | null }): void {
  if (row.deletedAt) throw new AppError("BAD_REQUEST", `The run ${row.id} must be in the 'active' state. Current state is deleted.`, { field: "run_id" });
}

/**
 * MLflow's runs/log-batch (and log-metric, log-parameter, set-tag, which are batches of one): params,
 * tags and metrics in one transaction under the run's row lock, all or nothing. A param can't
 * change once logged (the same value again is fine); a metric identical to a stored one is a retry.
 * Params also fill in the run's base model, method and dataset where the config alias table
 * recognises them and the run has none yet.
 */
export async function logMlflowBatch(
  db: Db,
  batch: MlflowBatch,
  options: { authorize?: (projectId: string) => void; run?: ResolvedRun } = {},
): Promise<LogBatchOutput> {
  const input: LogBatchInput = { runId: batch.run_id, points: [] };
  let retried = 0;
  const result = await logMetrics(db, input, {
    authorize: options.authorize,
    run: options.run,
    prepare: async (client, run) => {
      const row = (await readMlflowBatchRun(client, run.seq))!; // locked by logMetrics
      assertActive(row);
      const config = asRecord(row.config);
      const stored = toMlflowParams(config);
      const added: Record<string, string | number | boolean> = Object.create(null);
      batch.params.forEach((p, i) => {
        const old = stored[p.key];
        if (old === undefined) added[p.key] = typedParam(p.value);
        else if (old !== p.value) {
          throw new AppError(
            "BAD_REQUEST",
            `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}' for run ID='${row.id}'. Attempted logging new value '${p.value}'.`,
            { field: `params[${i}].value` },
          );
        }
      });
      const placed = await placeMlflowSteps(client, run, batch.metrics);
      input.points = placed.points;
      retried = placed.duplicates;
      if (Object.keys(added).length === 0 && batch.tags.length === 0) return;
      const parents = await findProjectRunIds(client, run.projectId, batch.tags.filter((t) => t.key === PARENT_RUN_TAG && t.value !== row.id).map((t) => t.value));
      const next = applyMlflowTags(tagStateOf(row), { set: batch.tags }, (id) => parents.has(id));
      const fields = recognizeRunFields(Object.assign(Object.create(null), config, added));
      let datasetId: string | null = null;
      if (!row.datasetId && fields.dataset) datasetId = (await upsertDataset(db, run.projectId, { name: fields.dataset.slice(0, MAX_NAME_LENGTH) }, "params")).id;
      await saveMlflowBatchFields(client, run.seq, {
        addedConfigJson: JSON.stringify(added), mlflowTagsJson: JSON.stringify(next.mlflowTags), name: next.name, notes: next.notes, labels: next.labels,
        parentRunId: next.parentRunId, baseModel: fields.baseModel?.slice(0, 200) ?? null, method: fields.method?.slice(0, 64) ?? null, datasetId,
      });
    },
  });
  return { inserted: result.inserted, duplicates: result.duplicates + retried };
}

/**
 * A param's text as a number or boolean when it reads back as exactly that text (`"8"`, `"0.0002"`,
 * `"true"`), so the factor analysis sees numbers while MLflow gets its string back verbatim; anything
 * else (`"1e-4"`, `"0.50"`, `"True"`) stays text.
 */
export function typedParam(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text) && text !== "-0") {
    const n = Number(text);
    if (Number.isFinite(n) && String(n) === text) return n;
  }
  return text;
}
