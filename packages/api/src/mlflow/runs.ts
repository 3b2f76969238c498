import { randomUUID } from "node:crypto";
import { ProjectSlug } from "@finetrack/contracts";
import { MLFLOW_LIMITS, type MlflowBatch, mlflowNumber, parseMlflowBatch, projectSlugOf, RUN_NAME_TAG, USER_TAG } from "@finetrack/core";
import type { createCaller } from "../root";
import { MlflowError } from "./errors";
import { getExperimentProject } from "./experiments";
import { int, offsetToken, readOffsetToken, str, strings, type Params } from "./params";

type Caller = ReturnType<typeof createCaller>;

/** The raw body goes to the procedure, whose input parser (parseMlflowBatch) checks all of it. */
const logRaw = (caller: Caller, body: Record<string, unknown>) => caller.mlflow.logBatch(body as unknown as MlflowBatch);

/** `run_id`, or the deprecated `run_uuid` that older clients (and the npm client) still send. */
const runIdOf = (params: Params) => str(params, "run_uuid") !== undefined && str(params, "run_id") === undefined ? str(params, "run_uuid")! : str(params, "run_id", { required: true })!;

async function getMlflowRun(caller: Caller, runId: string) {
  const [run] = await caller.mlflow.runs({ run_ids: [runId] });
  return run;
}

/** runs/create: a run in the experiment's project; tags go through the same path as set-tag. */
export async function createRun(caller: Caller, params: Params) {
  const experimentId = str(params, "experiment_id") ?? "0";
  const project = await getExperimentProject(caller, experimentId);
  const runId = randomUUID().replace(/-/g, "");
  const { tags } = parseMlflowBatch({ run_id: runId, tags: params.tags ?? [] });
  const runName = str(params, "run_name");
  const userId = str(params, "user_id");
  if (runName && !tags.some((t) => t.key === RUN_NAME_TAG)) tags.push({ key: RUN_NAME_TAG, value: runName });
  if (userId && !tags.some((t) => t.key === USER_TAG)) tags.push({ key: USER_TAG, value: userId });
  const startTime = int(params, "start_time");
  await caller.run.create({ project: project.slug, id: runId });
  if (tags.length > 0) await logRaw(caller, { run_id: runId, tags });
  if (startTime !== undefined) await caller.mlflow.update({ run_id: runId, start_time: startTime });
  return { run: await getMlflowRun(caller, runId) };
}

export async function getRun(caller: Caller, params: Params) {
  return { run: await getMlflowRun(caller, runIdOf(params)) };
}

export async function updateRun(caller: Caller, params: Params) {
  const runId = runIdOf(params);
  await caller.mlflow.update({ run_id: runId, status: str(params, "status") as never, end_time: int(params, "end_time"), run_name: str(params, "run_name") });
  return { run_info: (await getMlflowRun(caller, runId)).info };
}

export async function deleteRun(caller: Caller, params: Params) {
  await caller.mlflow.setDeleted({ run_id: runIdOf(params), deleted: true });
  return {};
}

export async function restoreRun(caller: Caller, params: Params) {
  await caller.mlflow.setDeleted({ run_id: runIdOf(params), deleted: false });
  return {};
}

export async function logBatch(caller: Caller, params: Params, bodyBytes: number) {
  if (bodyBytes > MLFLOW_LIMITS.batchBytes) {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Batched logging API requests must be at most ${MLFLOW_LIMITS.batchBytes} bytes, got a request of size ${bodyBytes}.`);
  }
  await logRaw(caller, { ...params, run_id: params.run_id ?? params.run_uuid });
  return {};
}

export async function logMetric(caller: Caller, params: Params) {
  const { run_id, run_uuid, ...metric } = params;
  await logRaw(caller, { run_id: run_id ?? run_uuid, metrics: [metric] });
  return {};
}

export async function logParam(caller: Caller, params: Params) {
  await logRaw(caller, { run_id: params.run_id ?? params.run_uuid, params: [{ key: params.key, value: params.value }] });
  return {};
}

export async function setTag(caller: Caller, params: Params) {
  await logRaw(caller, { run_id: params.run_id ?? params.run_uuid, tags: [{ key: params.key, value: params.value }] });
  return {};
}

export async function deleteTag(caller: Caller, params: Params) {
  await caller.mlflow.deleteTag({ run_id: runIdOf(params), key: str(params, "key", { required: true })! });
  return {};
}

export async function logInputs(caller: Caller, params: Params) {
  await caller.mlflow.logInputs({ run_id: runIdOf(params), datasets: params.datasets });
  return {};
}

/** runs/search: no experiment ids means every experiment the caller may read. */
export async function searchRuns(caller: Caller, params: Params) {
  const ids = strings(params, "experiment_ids") ?? [];
  const projects = ids.length > 0 ? ids.map(projectSlugOf) : (await caller.project.list()).map((p) => p.slug);
  const bad = projects.findIndex((slug) => !ProjectSlug.safeParse(slug).success);
  if (bad >= 0) throw new MlflowError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${ids[bad]} exists`);
  if (projects.length === 0) return { runs: [] };
  const maxResults = int(params, "max_results") ?? 1000;
  const offset = readOffsetToken(str(params, "page_token"));
  const viewType = str(params, "run_view_type") as "ACTIVE_ONLY" | undefined;
  const { runs, more } = await caller.mlflow.searchRuns({
    projects, filter: str(params, "filter"), order_by: strings(params, "order_by"), max_results: maxResults, offset, run_view_type: viewType,
  });
  return more ? { runs, next_page_token: offsetToken(offset + maxResults) } : { runs };
}

/** MLflow's own page limit (GET_METRIC_HISTORY_MAX_RESULTS): python's client asks for 25000 per page. */
const HISTORY_MAX_RESULTS = 25_000;
const HISTORY_READ = 20_000;

/** metrics/get-history: every value (or a page of max_results), MLflow steps, NaN as "NaN". */
export async function getMetricHistory(caller: Caller, params: Params) {
  const runId = runIdOf(params);
  const key = str(params, "metric_key", { required: true })!;
  const maxResults = int(params, "max_results");
  if (maxResults !== undefined && (maxResults < 1 || maxResults > HISTORY_MAX_RESULTS)) {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${maxResults} for parameter 'max_results' supplied: expected an integer from 1 to ${HISTORY_MAX_RESULTS}`);
  }
  let afterStep = readOffsetToken(str(params, "page_token")) - 1;
  const metrics: { key: string; value: number | string; timestamp: number; step: number }[] = [];
  for (;;) {
    const limit = Math.min(HISTORY_READ, maxResults === undefined ? HISTORY_READ : maxResults - metrics.length);
    const page = await caller.mlflow.history({ run_id: runId, metric_key: key, after_step: afterStep, limit });
    for (const m of page.metrics) metrics.push({ ...m, value: mlflowNumber(m.value) });
    if (page.nextAfterStep === null) return { metrics };
    afterStep = page.nextAfterStep;
    if (maxResults !== undefined && metrics.length >= maxResults) return { metrics, next_page_token: offsetToken(afterStep + 1) };
  }
}
