export { AppError, isAppError, type AppErrorCode } from "./shared/app-error";
export { toJsonSafe, fromJsonNumber } from "./shared/json";

export { createProject } from "./project/create-project";
export { getProject } from "./project/get-project";
export { listProjects } from "./project/list-projects";
export { listMembers } from "./project/list-members";
export { setMember } from "./project/set-member";

export { createApiKey } from "./key/create-api-key";
export { listApiKeys } from "./key/list-api-keys";
export { revokeApiKey } from "./key/revoke-api-key";

export { createUser } from "./user/create-user";
export { getUser } from "./user/get-user";
export { getLocalAdmin } from "./user/get-local-admin";
export { listUsers } from "./user/list-users";
export { setUserDisabled } from "./user/set-user-disabled";
export { resetPassword } from "./user/reset-password";

export { authenticate, SESSION_TTL_MS, SESSION_ROTATE_MS } from "./auth/authenticate";
export { authorize, readableProjectIds, assertRunAccess, type AccessTarget, type Authorized } from "./auth/authorize";
export { createSession } from "./auth/create-session";
export { deleteSession, deleteSessionById, deleteUserSessions } from "./auth/delete-session";
export { listSessions } from "./auth/list-sessions";
export { bootstrapLocal, DEFAULT_PROJECT_SLUG, ADMIN_USERNAME, type Bootstrapped } from "./auth/bootstrap-local";
export { roleIn, userRoleIn, accountRoleIn, roleAtLeast, scopesRole, isInstanceAdmin, actsAsUser, ROLE_MAX_SCOPE, type Principal } from "./auth/principal";

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
export { BinaryCopyWriter } from "@finetrack/db";

export { logArtifact } from "./artifact/log-artifact";
export { listArtifacts } from "./artifact/list-artifacts";

export { listRunRows } from "./analysis/list-run-rows";
export { MAX_TABLE_ROWS, MAX_TABLE_COLUMNS, type RunRows, type RunRowsInput, type RunColumnCatalog } from "./analysis/run-rows";
export { diagnoseRun, type RunDiagnosis } from "./analysis/diagnose-run";
export { listProjectActivity, type ProjectActivity } from "./analysis/list-project-activity";
export { buildAblationMatrix, type AblationInput, type AblationMatrix, type AblationCell } from "./analysis/build-ablation-matrix";
export { computeFactorImpact, type FactorImpact, type FactorImpactInput } from "./analysis/compute-factor-impact";
export { compareConfigurations, type CompareConfigurations, type CompareConfigurationsInput, type ComparedConfiguration } from "./analysis/compare-configurations";

export { parseMlflowBatch, parseMlflowInt, checkMlflowName } from "./mlflow/parse-mlflow-batch";
export { logMlflowBatch } from "./mlflow/log-mlflow-batch";
export { deleteMlflowTag } from "./mlflow/delete-mlflow-tag";
export { setRunDeleted } from "./mlflow/set-run-deleted";
export { updateMlflowRun } from "./mlflow/update-mlflow-run";
export { logMlflowInputs } from "./mlflow/log-mlflow-inputs";
export { listMlflowRuns } from "./mlflow/list-mlflow-runs";
export { readMlflowHistory } from "./mlflow/read-mlflow-history";
export { searchMlflowRuns, type MlflowViewType } from "./mlflow/search-mlflow-runs";
export { parseMlflowFilter } from "./mlflow/parse-mlflow-filter";
export { toMlflowRun, toMlflowStatus, fromMlflowStatus, mlflowNumber, MLFLOW_STATUSES, type MlflowRun } from "./mlflow/to-mlflow-run";
export {
  toMlflowExperiment, experimentIdOf, projectSlugOf, experimentNameOf, DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, type MlflowExperiment,
} from "./mlflow/to-mlflow-experiment";
export { MLFLOW_LIMITS, RUN_NAME_TAG, NOTE_TAG, PARENT_RUN_TAG, USER_TAG, type MlflowBatch, type MlflowMetric, type MlflowKeyValue, type MlflowRunStatus } from "./mlflow/mlflow-types";
export * from "./sweep";
