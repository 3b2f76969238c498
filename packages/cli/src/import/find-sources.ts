import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { checkpointDirs, readHfTrainer } from "./hf-trainer";
import { readLlamaFactory } from "./llama-factory";
import { isMlflowRunDir, readMlflowRun } from "./mlflow";
import { readTensorBoard } from "./tensorboard";
import type { ImportFormat, ImportProblem, SourceRun } from "./types";

/** A run found on disk, not read yet. */
export type Candidate = { format: ImportFormat; dir: string; read: () => SourceRun };

const EVENT_FILE = /^events\.out\.tfevents\./;
/** The folder torch's `SummaryWriter.add_hparams` creates beside a run's events: `str(time.time())`. */
const HPARAMS_SUBDIR = /^\d{9,11}(\.\d+)?$/;

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function isHfOutputDir(dir: string): boolean {
  return existsSync(join(dir, "trainer_state.json")) || checkpointDirs(dir).some((d) => existsSync(join(d, "trainer_state.json")));
}

const KERAS_SPLITS = ["train", "validation", "val", "eval"];

/** The event files of `train/` + `validation/` (or val/eval) when a folder has that layout. */
function kerasSplit(dir: string, subdirs: string[]): string[] {
  const splits = subdirs.filter((n) => KERAS_SPLITS.includes(n));
  if (!splits.includes("train") || splits.length < 2) return [];
  const files = splits.map((sub) => readdirSync(join(dir, sub)).filter((n) => EVENT_FILE.test(n)).map((n) => join(dir, sub, n)));
  return files.every((f) => f.length > 0) ? files.flat() : [];
}

/** A checkpoint-N folder belongs to its output folder when that folder is a Trainer output. */
function hfRoot(dir: string): string {
  return /^checkpoint-\d+$/.test(basename(dir)) && isHfOutputDir(dirname(dir)) ? dirname(dir) : dir;
}

/** `dir` is the run's folder; `identity` the path it is known by (the folder, or the one file given). */
function tensorBoardCandidate(dir: string, name: string, files: string[], identity = dir): Candidate {
  return { format: "tensorboard", dir: identity, read: () => readTensorBoard(dir, name, files) };
}

/**
 * Every run under the given paths, each named by its path below the path given (or its folder's
 * name), unless the source names it. A folder is looked at top-down and the first format that
 * claims it ends the descent (a Trainer output's checkpoints and `runs/` event files are part of
 * it, an MLflow run's artifacts are not runs), except TensorBoard, whose runs nest.
 */
export function findSources(paths: string[]): { candidates: Candidate[]; problems: ImportProblem[] } {
  const candidates = new Map<string, Candidate>();
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  const add = (c: Candidate) => {
    if (!candidates.has(`${c.format}:${c.dir}`)) candidates.set(`${c.format}:${c.dir}`, c);
  };

  const visit = (dir: string, root: string) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const name = dir === root ? basename(dir) : relative(root, dir).split(sep).join("/");
    if (isMlflowRunDir(dir)) return add({ format: "mlflow", dir, read: () => readMlflowRun(dir) });
    if (existsSync(join(dir, "trainer_log.jsonl"))) return add({ format: "llama-factory", dir, read: () => readLlamaFactory(dir, name) });
    if (isHfOutputDir(dir)) {
      const runDir = hfRoot(dir);
      return add({ format: "hf-trainer", dir: runDir, read: () => readHfTrainer(runDir, name) });
    }
    const names = readdirSync(dir).sort();
    const events = names.filter((n) => EVENT_FILE.test(n)).map((n) => join(dir, n));
    const subdirs = names.filter((n) => !n.startsWith(".") && n !== "node_modules" && isDir(join(dir, n)));
    // Keras' TensorBoard callback: <log_dir>/train/ and <log_dir>/validation/ are one training.
    const split = events.length === 0 ? kerasSplit(dir, subdirs) : [];
    if (split.length) {
      add({ format: "tensorboard", dir, read: () => readTensorBoard(dir, name, split, { prefixBySubdir: true }) });
      return;
    }
    if (events.length) {
      const hparams = subdirs.filter((n) => HPARAMS_SUBDIR.test(n));
      for (const sub of hparams) seen.add(realpathSync(join(dir, sub)));
      const nested = hparams.flatMap((sub) => readdirSync(join(dir, sub)).filter((n) => EVENT_FILE.test(n)).map((n) => join(dir, sub, n)));
      add(tensorBoardCandidate(dir, name, [...events, ...nested]));
    }
    for (const sub of subdirs) visit(join(dir, sub), root);
  };

  for (const raw of paths) {
    const path = resolve(raw);
    if (!existsSync(path)) {
      problems.push({ file: path, message: "no such file or folder" });
      continue;
    }
    if (isDir(path)) {
      visit(path, path);
      continue;
    }
    const dir = dirname(path);
    const name = basename(path);
    if (name === "trainer_state.json") add({ format: "hf-trainer", dir: hfRoot(dir), read: () => readHfTrainer(hfRoot(dir)) });
    else if (name === "trainer_log.jsonl") add({ format: "llama-factory", dir, read: () => readLlamaFactory(dir) });
    else if (EVENT_FILE.test(name)) add(tensorBoardCandidate(dir, basename(dir), [path], path));
    else if (name === "meta.yaml" && isMlflowRunDir(dir)) add({ format: "mlflow", dir, read: () => readMlflowRun(dir) });
    else problems.push({ file: path, message: "not a file finetrack imports (trainer_state.json, trainer_log.jsonl, events.out.tfevents.*, or an MLflow run's meta.yaml); pass its folder to search it" });
  }
  return { candidates: [...candidates.values()], problems };
}
