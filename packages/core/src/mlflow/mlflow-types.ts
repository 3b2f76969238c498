/** MLflow's entities as its REST API 2.0 sends them (field names as in mlflow/protos/service.proto). */
export type MlflowMetric = { key: string; value: number; timestamp: number; step: number };
export type MlflowKeyValue = { key: string; value: string };
export type MlflowBatch = { run_id: string; metrics: MlflowMetric[]; params: MlflowKeyValue[]; tags: MlflowKeyValue[] };
export type MlflowDatasetInput = {
  tags: MlflowKeyValue[];
  dataset: { name: string; digest: string; source_type?: string; source?: string; schema?: string; profile?: string };
};
export type MlflowRunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/** MLflow's request limits (mlflow/utils/validation.py). */
export const MLFLOW_LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  batchBytes: 1_000_000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
  experimentNameLength: 500,
  datasetsPerRequest: 1000,
  maxResults: 50_000,
} as const;

/** Tags with a first-class home in a finetrack run. */
export const RUN_NAME_TAG = "mlflow.runName";
export const NOTE_TAG = "mlflow.note.content";
export const PARENT_RUN_TAG = "mlflow.parentRunId";
export const USER_TAG = "mlflow.user";
