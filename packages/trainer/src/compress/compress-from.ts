// `finetrack compress --from <run id | checkpoint>`: finds the fine-tuned model (a checkpoint
// directory, or the "model" artifact of a run on the server), rebuilds its validation data from the
// fine-tune's config, and runs the compression steps as children of that run.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApiClient, resolveConnection } from "@finetrack/sdk";
import type { LoadedModel } from "../types";
import type { TrackingOptions } from "../prepare/tracking-options";
import { encodeSplits, loadSplitRecords } from "../prepare/prepare-data";
import { parseConfig } from "../config/parse-config";
import { loadCheckpoint } from "../checkpoint/checkpoint-io";
import { initBackend } from "../backend";
import { disposeModel } from "../models/create-model";
import { loadCompressedCheckpoint } from "./compressed-checkpoint";
import type { CompressConfig } from "../config/compress-config";
import { runCompression, type CompressionRunResult } from "./run-compression";

/** The keys of a training config that decide the data split, taken from the fine-tune by default. */
const DATA_KEYS = ["dataset", "template", "val_size", "test_size", "max_samples", "cutoff_len", "seed"] as const;

export interface FineTuneSource {
  model: LoadedModel;
  checkpoint: string;
  runId?: string;
  project?: string;
  /** The fine-tune's logged config (data keys are reused from it). */
  config: Record<string, unknown>;
}

function isCheckpointDir(p: string): boolean {
  return existsSync(path.join(p, "model.json")) || existsSync(path.join(p, "compressed.json"));
}

export async function loadAnyCheckpoint(dir: string): Promise<LoadedModel> {
  return existsSync(path.join(dir, "compressed.json")) ? loadCompressedCheckpoint(dir) : loadCheckpoint(dir);
}

/** A checkpoint directory, or a run id whose "model" artifact points at one (file:// URI). */
export async function resolveFineTune(from: string, tracking: TrackingOptions = {}): Promise<FineTuneSource> {
  if (isCheckpointDir(from)) {
    const model = await loadAnyCheckpoint(from);
    const meta = model.metadata as { run_id?: unknown; train_config?: unknown; config?: unknown };
    const config = (meta.train_config ?? meta.config ?? {}) as Record<string, unknown>;
    return { model, checkpoint: path.resolve(from), runId: typeof meta.run_id === "string" ? meta.run_id : undefined, config };
  }
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(from)) throw new Error(`--from: '${from}' is neither a checkpoint directory (with model.json) nor a run id`);
  const conn = resolveConnection(tracking);
  if (conn.mode === "offline") throw new Error(`--from: run '${from}' cannot be looked up offline; pass its checkpoint directory instead`);
  const client = createApiClient({ url: conn.url, apiKey: conn.apiKey });
  let run;
  try {
    run = await client.run.get.query({ id: from });
  } catch (err) {
    throw new Error(`--from: cannot read run '${from}' from ${conn.url}: ${(err as Error).message}`);
  }
  const artifacts = await client.artifact.list.query({ runId: from });
  const found = [...artifacts].reverse().find((a) => (a.kind === "model" || a.kind === "checkpoint") && (a.uri.startsWith("file://") || a.uri.startsWith("/")));
  if (!found) throw new Error(`--from: run '${from}' has no model artifact with a local checkpoint; fine-tune with output_dir set, or pass the checkpoint directory`);
  const dir = found.uri.startsWith("file://") ? fileURLToPath(found.uri) : found.uri;
  if (!isCheckpointDir(dir)) throw new Error(`--from: run '${from}' points at checkpoint '${dir}', which is missing here (no model.json)`);
  const projects = await client.project.list.query();
  const project = projects.find((p) => p.id === run.projectId)?.slug;
  return { model: await loadAnyCheckpoint(dir), checkpoint: dir, runId: from, project, config: run.config };
}

export interface CompressFromOptions {
  from?: string;
  tracking?: TrackingOptions;
  cacheDir?: string;
  onStatus?(message: string): void;
}

export async function compressFrom(config: CompressConfig, opts: CompressFromOptions = {}): Promise<{ parentRunId?: string; results: CompressionRunResult[] }> {
  const from = opts.from ?? config.from;
  if (!from) throw new Error("from: expected a run id or checkpoint directory (in compress.yaml or as --from)");
  await initBackend(config.backend);
  const src = await resolveFineTune(from, opts.tracking);
  try {
    const dataRaw: Record<string, unknown> = { base_model: src.model.name };
    for (const k of DATA_KEYS) {
      const v = config[k] ?? src.config[k];
      if (v !== undefined && v !== null) dataRaw[k] = v;
    }
    if (!dataRaw.dataset) throw new Error(`dataset: the fine-tune '${from}' does not record its dataset; set dataset in the compress config`);
    const trainConfig = parseConfig(dataRaw, "compress data");
    const data = encodeSplits(trainConfig, src.model.config, loadSplitRecords(trainConfig));
    const parentRunId = config.parent_run_id ?? src.runId;
    if (!parentRunId) opts.onStatus?.("no parent run id (set parent_run_id): compression runs are logged without a parent");
    const results = await runCompression({
      model: src.model,
      section: config,
      project: config.project ?? src.project ?? (typeof src.config.project === "string" ? src.config.project : "default"),
      parentRunId,
      teacherRef: { ...(parentRunId ? { run_id: parentRunId } : {}), checkpoint: src.checkpoint },
      train: data.train,
      validation: data.validation,
      dataset: data.info,
      tags: config.tags,
      tracking: opts.tracking,
      cacheDir: opts.cacheDir,
      seed: trainConfig.seed,
      onStatus: opts.onStatus,
    });
    return { parentRunId, results };
  } finally {
    disposeModel(src.model);
  }
}
