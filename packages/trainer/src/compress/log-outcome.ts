// Logs one compression result as a child run of the fine-tune: size against validation loss in the
// summary (same keys as fine-tune runs: model_bytes, val_loss), the curve over steps as metrics,
// and the compressed checkpoint as a "model" artifact.
import path from "node:path";
import { init } from "@finetrack/sdk";
import type { TrackingOptions } from "../prepare/tracking-options";
import type { DatasetInfo } from "../prepare/prepare-data";
import { countParams } from "../models/create-model";
import type { CompressionOutcome } from "./compression-outcome";
import { COMPRESSED_FORMAT, saveCompressedCheckpoint } from "./compressed-checkpoint";

export interface LogOutcomeOptions {
  project: string;
  parentRunId?: string;
  name?: string;
  tags?: string[];
  /** The step's configuration as written (recorded in the run config). */
  stepConfig: Record<string, unknown>;
  dataset?: DatasetInfo;
  /** The fine-tuned model's name (the base model of PTQ / QAT / pruning children). */
  parentModelName: string;
  backend: string;
  tracking?: TrackingOptions;
  /** Save the compressed checkpoint into `<checkpointRoot>/<run id>` and log it as an artifact. */
  checkpointRoot?: string;
}

export interface LoggedOutcome {
  runId: string;
  name: string;
  summary: Record<string, number | string | unknown[]>;
  checkpointDir?: string;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export function outcomeSummary(o: CompressionOutcome): Record<string, number | string | unknown[]> {
  const summary: Record<string, number | string | unknown[]> = {
    model_bytes: o.bytes,
    technique: o.technique,
    bytes_before: o.bytesBefore,
    compression_ratio: o.bytesBefore / o.bytes,
    val_loss_before: o.before.loss,
    val_loss: o.after.loss,
    val_loss_delta: o.after.loss - o.before.loss,
    val_accuracy_before: o.before.accuracy,
    val_accuracy: o.after.accuracy,
    val_accuracy_delta: o.after.accuracy - o.before.accuracy,
    val_perplexity: o.after.perplexity,
    best_val_loss: o.after.loss,
    ...o.summary,
  };
  if (o.layers.length) {
    summary.layers = o.layers.map((l) => ({ layer: l.layer, params: l.params, rel_error: l.relError, max_abs_error: l.maxAbsError, bytes_before: l.bytesBefore, bytes_after: l.bytesAfter, val_loss: finite(l.valLoss), val_loss_delta: finite(l.valLossDelta) }));
    const measured = o.layers.filter((l) => Number.isFinite(l.valLossDelta));
    const worst = (measured.length ? measured : o.layers).reduce((a, b) => ((measured.length ? b.valLossDelta > a.valLossDelta : b.relError > a.relError) ? b : a));
    summary.most_sensitive_layer = worst.layer;
    if (measured.length) summary.most_sensitive_val_loss_delta = worst.valLossDelta;
  }
  return summary;
}

export async function logOutcome(o: CompressionOutcome, opts: LogOutcomeOptions): Promise<LoggedOutcome> {
  const name = opts.name ?? `${o.technique}-${o.label}`;
  const run = await init({
    ...opts.tracking,
    project: opts.project,
    name,
    parentRunId: opts.parentRunId,
    baseModel: o.technique === "distill" ? o.model.name : opts.parentModelName,
    baseModelParams: countParams(o.model).total,
    dataset: opts.dataset,
    method: o.technique,
    tags: [...(opts.tags ?? []), "compression", o.technique],
    config: { compression: opts.stepConfig, technique: o.technique, label: o.label, method_config: o.config, parent_run_id: opts.parentRunId ?? null, model_config: o.model.config },
    system: { backend: opts.backend },
  });
  try {
    for (const p of o.history) run.log(p.values, { step: p.step });
    // The compressed model as exported (after restore-best, real quantization, final masks) is the
    // last point of the curve, so a run's last val/loss is the compressed model's.
    const finalStep = o.history.length ? Math.max(...o.history.map((p) => p.step)) + 1 : 0;
    run.log({ "val/loss": o.after.loss, "val/accuracy": o.after.accuracy, model_bytes: o.bytes }, { step: finalStep });
    const summary = outcomeSummary(o);
    let checkpointDir: string | undefined;
    if (opts.checkpointRoot) {
      checkpointDir = path.resolve(opts.checkpointRoot, run.id);
      const saved = await saveCompressedCheckpoint(o, checkpointDir);
      run.artifact({ name: `compressed-${o.label}`.slice(0, 200), kind: "model", uri: `file://${checkpointDir}`, bytes: saved.bytes, metadata: { format: COMPRESSED_FORMAT, technique: o.technique, label: o.label } });
      summary.checkpoint = checkpointDir;
    }
    await run.finish({ status: "finished", summary });
    return { runId: run.id, name, summary, checkpointDir };
  } catch (err) {
    await run.finish({ status: "failed", error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
