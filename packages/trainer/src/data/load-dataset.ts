import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatasetKind, DatasetRecord } from "./dataset-record";
import { hashDataset } from "./hash-dataset";
import { parseCsv } from "./parse-csv";
import { parseJsonl } from "./parse-jsonl";

/** Datasets the project generates itself (packages/trainer/datasets, see datasets/generate.ts). */
export const BUILTIN_DATASET_DIR = fileURLToPath(new URL("../../datasets/", import.meta.url));

export interface LoadedDataset {
  name: string;
  /** Absolute file path the records came from. */
  source: string;
  kind: DatasetKind;
  records: DatasetRecord[];
  contentHash: string;
}

export function listBuiltinDatasets(): string[] {
  if (!existsSync(BUILTIN_DATASET_DIR)) return [];
  return readdirSync(BUILTIN_DATASET_DIR)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => f.slice(0, -".jsonl".length))
    .sort();
}

/** Loads a dataset by built-in name (e.g. "arithmetic") or by path to a .jsonl / .csv file. */
export function loadDataset(spec: string, baseDir = process.cwd()): LoadedDataset {
  const path = resolveDatasetPath(spec, baseDir);
  const text = readFileSync(path, "utf8");
  const ext = extname(path).toLowerCase();
  const records = ext === ".csv" ? parseCsv(text, path) : parseJsonl(text, path);
  const name = basename(path, extname(path));
  return { name, source: path, kind: records[0].kind, records, contentHash: hashDataset(records) };
}

/** A file path rather than a built-in name: has a separator or a data file extension. */
export function isDatasetPath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.(jsonl|json|csv)$/i.test(spec);
}

function resolveDatasetPath(spec: string, baseDir: string): string {
  if (isDatasetPath(spec)) {
    const path = isAbsolute(spec) ? spec : resolve(baseDir, spec);
    if (!existsSync(path)) throw new Error(`dataset: file '${path}' not found`);
    const ext = extname(path).toLowerCase();
    if (![".jsonl", ".json", ".csv"].includes(ext)) throw new Error(`dataset: expected a .jsonl or .csv file, got '${path}'`);
    return path;
  }
  const builtin = resolve(BUILTIN_DATASET_DIR, `${spec}.jsonl`);
  if (existsSync(builtin)) return builtin;
  throw new Error(`dataset: '${spec}' is neither a file nor a built-in dataset; expected a path to .jsonl/.csv or one of: ${listBuiltinDatasets().join(", ")}`);
}
