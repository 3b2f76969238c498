import type { RunEndStatus } from "@finetrack/contracts";

export type ImportFormat = "hf-trainer" | "llama-factory" | "tensorboard" | "mlflow";

/** One point as a source recorded it; `time` in milliseconds since the Unix epoch. */
export type SourcePoint = { key: string; step: number; value: number; epoch?: number; time?: number };

/** Something that could not be read: the file, where in it (line N, byte N) and what was wrong. */
export type ImportProblem = { file: string; where?: string; message: string };

/** A run read from disk, ready to be logged; nothing here has touched the server. */
export type SourceRun = {
  format: ImportFormat;
  /** Absolute path of the folder (or file) that is the run. */
  source: string;
  /** Every file the run was read from (absolute): the content part of the run's identity. */
  files: string[];
  name: string;
  group?: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  baseModel?: string;
  method?: string;
  dataset?: string;
  notes?: string;
  status: RunEndStatus;
  error?: string;
  points: SourcePoint[];
  /** What was seen and deliberately not imported (`training_args.bin: a pickle, not read`). */
  skipped: string[];
  problems: ImportProblem[];
};

/** A source that could not become a run at all (an LFS pointer, unreadable JSON). */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly where?: string,
  ) {
    super(`${file}${where ? ` (${where})` : ""}: ${reason}`);
    this.name = "SourceError";
  }

  toProblem(): ImportProblem {
    return { file: this.file, where: this.where, message: this.reason };
  }
}

/** A source left out on purpose (an MLflow run deleted in MLflow): said, not a problem. */
export class SkippedSource extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = "SkippedSource";
  }
}
