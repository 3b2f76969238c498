import { MAX_NAME_LENGTH } from "@finetrack/contracts";
import { saveMlflowInputs, type Db, type ResolvedRun } from "@finetrack/db";
import { upsertDataset } from "../dataset/upsert-dataset";
import { AppError } from "../shared/app-error";
import { asRecord } from "../shared/json";
import { assertActive } from "./log-mlflow-batch";
import { MLFLOW_LIMITS, type MlflowDatasetInput } from "./mlflow-types";
import { withLockedRun } from "./with-locked-run";

const CONTEXT_TAG = "mlflow.data.context";
const MAX_KEPT_INPUTS = 100;

function parseInputs(raw: unknown): MlflowDatasetInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new AppError("BAD_REQUEST", "expected an array of dataset inputs", { field: "datasets" });
  if (raw.length > MLFLOW_LIMITS.datasetsPerRequest) {
    throw new AppError("BAD_REQUEST", `A request can contain at most ${MLFLOW_LIMITS.datasetsPerRequest} datasets. Got ${raw.length} datasets.`, { field: "datasets" });
  }
  return raw.map((item, i) => {
    const at = `datasets[${i}]`;
    const d = asRecord(asRecord(item).dataset);
    for (const f of ["name", "digest"] as const) {
      if (typeof d[f] !== "string" || !d[f]) throw new AppError("BAD_REQUEST", `Missing value for required parameter '${f}'.`, { field: `${at}.dataset.${f}` });
    }
    if ((d.name as string).length > 500) throw new AppError("BAD_REQUEST", `Dataset name exceeds the maximum length of 500`, { field: `${at}.dataset.name` });
    if ((d.digest as string).length > 36) throw new AppError("BAD_REQUEST", `Dataset digest exceeds the maximum length of 36`, { field: `${at}.dataset.digest` });
    const tags = Array.isArray(asRecord(item).tags) ? (asRecord(item).tags as unknown[]).map(asRecord) : [];
    return {
      tags: tags.filter((t) => typeof t.key === "string" && typeof t.value === "string").map((t) => ({ key: t.key as string, value: t.value as string })),
      dataset: {
        name: d.name as string,
        digest: d.digest as string,
        ...optionalText(d, "source_type", 100),
        ...optionalText(d, "source", 2_000),
        ...optionalText(d, "schema", 10_000),
        ...optionalText(d, "profile", 10_000),
      },
    };
  });
}

/** An optional text field kept as sent (cut to `max`), left out when absent. */
function optionalText(d: Record<string, unknown>, name: string, max: number): Record<string, string> {
  return typeof d[name] === "string" ? { [name]: (d[name] as string).slice(0, max) } : {};
}

function numRows(profile: string | undefined): number | undefined {
  try {
    const n = JSON.parse(profile ?? "").num_rows;
    return Number.isSafeInteger(n) && n >= 0 && n <= 2_147_483_647 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * MLflow's runs/log-inputs: each dataset becomes a finetrack Dataset record (name, version = the
 * digest, source, and num_rows of its profile as the size of its context); the run's dataset is
 * the first 'train' one (else the first) when it has none. The inputs are kept as sent for runs/get.
 */
export async function logMlflowInputs(db: Db, input: { runId: string; datasets: unknown }, known?: Map<string, ResolvedRun>): Promise<void> {
  const inputs = parseInputs(input.datasets);
  if (inputs.length === 0) return;
  await withLockedRun(db, input.runId, async (client, run) => {
    assertActive(run);
    let first: string | null = null;
    let firstTrain: string | null = null;
    for (const item of inputs) {
      const context = item.tags.find((t) => t.key === CONTEXT_TAG)?.value ?? "";
      const rows = numRows(item.dataset.profile);
      const size = context === "eval" || context === "validation" ? { validationSize: rows } : context === "test" ? { testSize: rows } : { trainSize: rows };
      const d = item.dataset;
      const record = await upsertDataset(db, run.projectId, { name: d.name.slice(0, MAX_NAME_LENGTH), version: d.digest, contentHash: d.digest, source: d.source || undefined, ...size }, "datasets");
      first ??= record.id;
      if (context === "train") firstTrain ??= record.id;
    }
    const system = asRecord(run.system);
    const kept = [...(Array.isArray(system.mlflowInputs) ? system.mlflowInputs : []), ...inputs];
    const unique = [...new Map(kept.map((k) => [JSON.stringify(k), k])).values()].slice(-MAX_KEPT_INPUTS);
    await saveMlflowInputs(client, run.seq, JSON.stringify(unique), firstTrain ?? first ?? null);
  }, known);
}
