export { AppError, isAppError, type AppErrorCode } from "./shared/app-error";
export { toJsonSafe, fromJsonNumber } from "./shared/json";

export { createProject } from "./project/create-project";
export { getProject } from "./project/get-project";
export { listProjects } from "./project/list-projects";

export { createApiKey } from "./key/create-api-key";
export { listApiKeys } from "./key/list-api-keys";
export { revokeApiKey } from "./key/revoke-api-key";
export { getApiKeyProject } from "./key/get-api-key-project";

export { authenticate } from "./auth/authenticate";
export { createSession, SESSION_TTL_MS } from "./auth/create-session";
export { deleteSession } from "./auth/delete-session";
export { bootstrapLocal, DEFAULT_PROJECT_SLUG } from "./auth/bootstrap-local";
export { hasScope, assertScope, assertProject, type Principal } from "./auth/principal";

export { upsertDataset } from "./dataset/upsert-dataset";

export { createRun } from "./run/create-run";
export { updateRun } from "./run/update-run";
export { heartbeatRun } from "./run/heartbeat-run";
export { finishRun } from "./run/finish-run";
export { getRun } from "./run/get-run";
export { getRunProjects } from "./run/get-run-project";
export { listRuns, type ListRunsOptions } from "./run/list-runs";
export { markCrashedRuns } from "./run/mark-crashed-runs";

export { logMetrics } from "./metric/log-metrics";
export { getSeries } from "./metric/get-series";
export { listMetricKeys } from "./metric/list-metric-keys";
export { readPoints } from "./metric/read-points";
export { MIN_TIER_LEVEL, MAX_TIER_LEVEL } from "./metric/tiers";
export { BinaryCopyWriter } from "./metric/binary-copy";

export { logArtifact } from "./artifact/log-artifact";
export { listArtifacts } from "./artifact/list-artifacts";

export { listRunRows } from "./analysis/list-run-rows";
export { MAX_TABLE_ROWS, type RunRows, type RunRowsInput } from "./analysis/run-rows";
export { diagnoseRun, type RunDiagnosis } from "./analysis/diagnose-run";
export { listProjectActivity, type ProjectActivity } from "./analysis/list-project-activity";
export { buildAblationMatrix, type AblationInput, type AblationMatrix, type AblationCell } from "./analysis/build-ablation-matrix";
export { computeFactorImpact, type FactorImpact, type FactorImpactInput } from "./analysis/compute-factor-impact";
