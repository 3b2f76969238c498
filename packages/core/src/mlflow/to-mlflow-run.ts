import type { Run, RunStatus } from "@finetrack/contracts";
import { labelOfTag } from "./apply-mlflow-tags";
import { stringRecord } from "./log-mlflow-batch";
import { NOTE_TAG, PARENT_RUN_TAG, RUN_NAME_TAG, USER_TAG, type MlflowKeyValue, type MlflowMetric, type MlflowRunStatus } from "./mlflow-types";
import { experimentIdOf } from "./to-mlflow-experiment";
import { toMlflowParams } from "./to-mlflow-params";

const TO_MLFLOW: Record<RunStatus, MlflowRunStatus> = { running: "RUNNING", finished: "FINISHED", failed: "FAILED", crashed: "FAILED", killed: "KILLED" };
const FROM_MLFLOW: Record<MlflowRunStatus, RunStatus> = { RUNNING: "running", SCHEDULED: "running", FINISHED: "finished", FAILED: "failed", KILLED: "killed" };

/** finetrack's 'crashed' (no heartbeat) is MLflow's FAILED; MLflow's SCHEDULED is 'running'. */
export function toMlflowStatus(status: RunStatus): MlflowRunStatus {
  return TO_MLFLOW[status];
}

export function fromMlflowStatus(status: MlflowRunStatus): RunStatus {
  return FROM_MLFLOW[status];
}

export const MLFLOW_STATUSES = Object.keys(FROM_MLFLOW) as MlflowRunStatus[];

/** A JSON number, or MLflow's "NaN" / "Infinity" / "-Infinity" strings. */
export function mlflowNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

export type MlflowRun = {
  info: {
    run_id: string;
    run_uuid: string;
    run_name: string;
    experiment_id: string;
    user_id: string;
    status: MlflowRunStatus;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: "active" | "deleted";
  };
  data: { metrics: (Omit<MlflowMetric, "value"> & { value: number | string })[]; params: MlflowKeyValue[]; tags: MlflowKeyValue[] };
  inputs: { dataset_inputs: unknown[] };
};

/** A finetrack run as MLflow's Run entity (info, data with each metric's latest value, inputs). */
export function toMlflowRun(run: Run, extra: { projectSlug: string; deletedAt: Date | null; latest: MlflowMetric[] }): MlflowRun {
  const mlflowTags = stringRecord(run.system.mlflowTags);
  const tags: MlflowKeyValue[] = [{ key: RUN_NAME_TAG, value: run.name }];
  if (run.notes) tags.push({ key: NOTE_TAG, value: run.notes });
  if (run.parentRunId) tags.push({ key: PARENT_RUN_TAG, value: run.parentRunId });
  for (const [key, value] of Object.entries(mlflowTags)) tags.push({ key, value });
  const derived = new Set(Object.entries(mlflowTags).map(([k, v]) => labelOfTag(k, v)));
  for (const label of run.tags) if (!derived.has(label)) tags.push({ key: label, value: "" });
  const inputs = Array.isArray(run.system.mlflowInputs) ? run.system.mlflowInputs : run.dataset ? [datasetInput(run.dataset)] : [];
  return {
    info: {
      run_id: run.id,
      run_uuid: run.id,
      run_name: run.name,
      experiment_id: experimentIdOf(extra.projectSlug),
      user_id: mlflowTags[USER_TAG] ?? "",
      status: toMlflowStatus(run.status),
      start_time: (run.startedAt ?? run.createdAt).getTime(),
      ...(run.finishedAt ? { end_time: run.finishedAt.getTime() } : {}),
      artifact_uri: "",
      lifecycle_stage: extra.deletedAt ? "deleted" : "active",
    },
    data: {
      metrics: extra.latest.map((m) => ({ ...m, value: mlflowNumber(m.value) })),
      params: Object.entries(toMlflowParams(run.config)).map(([key, value]) => ({ key, value })),
      tags,
    },
    inputs: { dataset_inputs: inputs },
  };
}

function datasetInput(d: NonNullable<Run["dataset"]>) {
  return {
    tags: [{ key: "mlflow.data.context", value: "train" }],
    dataset: { name: d.name, digest: d.contentHash ?? d.version, source_type: "", source: d.source ?? "", schema: "", profile: d.trainSize == null ? "" : JSON.stringify({ num_rows: d.trainSize }) },
  };
}
