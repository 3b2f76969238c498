export { init, newRunId, type InitOptions } from "./init";
export { Run, DEFAULT_TUNING, type RunTuning, type FinishOptions, type ArtifactInput, type RunStatusFinal } from "./run";
export { syncSpool, listSpooledRuns, type SyncedRun } from "./sync-spool";
export { createApiClient, classifyError, trpcEndpoint, type ApiClient } from "./api-client";
export { resolveConnection, DEFAULT_SERVER_URL, type Connection } from "./resolve-connection";
export { readCredentials, saveCredentials, credentialsPath, normalizeServerUrl, type CredentialsFile, type ServerCredentials } from "./credentials";
export { captureSystemInfo, type SystemInfo } from "./system-info";
export { finetrackHome, readSdkEnv } from "./env";
export { spoolPaths } from "./spool-file";
