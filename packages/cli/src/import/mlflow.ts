import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import type { RunEndStatus } from "@finetrack/contracts";
import { recognizeFields } from "./model-files";
import { PointSet } from "./point-set";
import { readYamlObject } from "./read-files";
import { readText } from "./read-source";
import { SkippedSource, SourceError, type SourceRun } from "./types";

/** MLflow's RunStatus numbers as the file store keeps them in meta.yaml. */
const STATUS: Record<number, { status: RunEndStatus; error?: string }> = {
  1: { status: "killed", error: "still RUNNING in the MLflow store when imported (the process ended without finishing the run)" },
  2: { status: "killed", error: "SCHEDULED in the MLflow store, never started" },
  3: { status: "finished" },
  4: { status: "failed" },
  5: { status: "killed" },
};

/** Files under a folder, as MLflow keys: a key with '/' is a nested path (`metrics/train/loss`). */
function listKeys(dir: string): Array<{ key: string; file: string }> {
  if (!existsSync(dir)) return [];
  const out: Array<{ key: string; file: string }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push({ key: relative(dir, path).split(sep).join("/"), file: path });
    }
  };
  walk(dir);
  return out;
}

/** A param as MLflow stores it (always text) → number or boolean when it is one, as logged. */
export function paramValue(text: string): unknown {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (t === "True" || t === "true") return true;
  if (t === "False" || t === "false") return false;
  if (t === "None") return null;
  return text;
}

/** A run folder of an MLflow file store: `mlruns/<experiment>/<run>/` with meta.yaml. */
export function isMlflowRunDir(dir: string): boolean {
  const meta = join(dir, "meta.yaml");
  if (!existsSync(meta) || !(existsSync(join(dir, "metrics")) || existsSync(join(dir, "params")) || existsSync(join(dir, "tags")))) return false;
  return /^(run_id|run_uuid):/m.test(readText(meta));
}

/**
 * One MLflow run: meta.yaml (name, status, experiment), params/ (config), metrics/ (`timestamp
 * value step` lines; a value repeated at a step keeps the latest, as MLflow's own "latest" does),
 * tags/ (mlflow.* system tags → system notes; user tags → config.mlflow_tags).
 */
export function readMlflowRun(dir: string): SourceRun {
  const metaFile = join(dir, "meta.yaml");
  const meta = readYamlObject(metaFile);
  const run: SourceRun = { format: "mlflow", source: dir, files: [metaFile], name: basename(dir), config: {}, summary: {}, status: "finished", points: [], skipped: [], problems: [] };
  if (meta.lifecycle_stage === "deleted") throw new SkippedSource(dir, "deleted in MLflow (lifecycle_stage: deleted)");
  const mapped = STATUS[Number(meta.status)] ?? STATUS[3];
  run.status = mapped.status;
  if (mapped.error) run.error = mapped.error;

  const expMeta = join(dirname(dir), "meta.yaml");
  if (existsSync(expMeta)) {
    try {
      const exp = readYamlObject(expMeta);
      if (typeof exp.name === "string" && exp.name) run.group = exp.name;
    } catch (error) {
      if (error instanceof SourceError) run.problems.push(error.toProblem());
      else throw error;
    }
  }

  const tags: Record<string, string> = {};
  for (const { key, file } of listKeys(join(dir, "tags"))) {
    tags[key] = readText(file);
    run.files.push(file);
  }
  const params: Record<string, unknown> = {};
  for (const { key, file } of listKeys(join(dir, "params"))) {
    params[key] = paramValue(readText(file));
    run.files.push(file);
  }
  const userTags = Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith("mlflow.")));
  run.config = { ...params, ...(Object.keys(userTags).length ? { mlflow_tags: userTags } : {}) };
  run.name = (typeof meta.run_name === "string" && meta.run_name) || tags["mlflow.runName"] || run.name;
  if (tags["mlflow.note.content"]) run.notes = tags["mlflow.note.content"];
  const mlflowId = String(meta.run_id ?? meta.run_uuid ?? basename(dir));
  run.summary.mlflow_run_id = mlflowId;
  // The server stamps runs with the import time; the original times stay readable.
  if (typeof meta.start_time === "number") run.summary.started_at = new Date(meta.start_time).toISOString();
  if (typeof meta.end_time === "number") run.summary.ended_at = new Date(meta.end_time).toISOString();
  if (tags["mlflow.parentRunId"]) run.summary.mlflow_parent_run_id = tags["mlflow.parentRunId"];
  if (tags["mlflow.source.git.commit"]) run.summary.git_commit = tags["mlflow.source.git.commit"];

  const points = new PointSet("last");
  for (const { key, file } of listKeys(join(dir, "metrics"))) {
    run.files.push(file);
    const lines = readText(file).split("\n");
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      const parts = line.trim().split(" ");
      const [ts, value, step] = [Number(parts[0]), pythonFloat(parts[1]), parts.length === 3 ? Number(parts[2]) : 0];
      if ((parts.length !== 2 && parts.length !== 3) || !Number.isInteger(ts) || value === undefined || !Number.isInteger(step)) {
        const cut = i === lines.length - 1;
        run.problems.push({ file, where: `line ${i + 1}`, message: cut ? `truncated line '${line}'` : `expected 'timestamp value step', got '${line.slice(0, 80)}'` });
        continue;
      }
      if (!points.add({ key, step, value, time: ts >= 0 ? ts : undefined })) run.problems.push({ file, where: `line ${i + 1}`, message: `step ${step} is outside 0..2147483647` });
    }
  }
  run.points = points.toArray();
  const repeats = points.describeRepeats();
  if (repeats) run.skipped.push(repeats);
  Object.assign(run, recognizeFields(params, {}));
  return run;
}

/** Python's float() spellings that MLflow writes: nan, inf, -inf, 1e-05. */
function pythonFloat(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase();
  if (t === "nan" || t === "-nan") return Number.NaN;
  if (t === "inf" || t === "infinity" || t === "+inf") return Number.POSITIVE_INFINITY;
  if (t === "-inf" || t === "-infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  return text.trim() !== "" && !Number.isNaN(n) ? n : undefined;
}
