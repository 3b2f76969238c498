import type { CandidateColumn } from "@finetrack/analysis";
import { readTarget } from "./read-run-field";
import type { RunRows } from "./run-rows";

/** Which runs an analysis looked at, and the sweep groups among them (one click narrows to one). */
export type RunScope = {
  runs: number;
  /** Runs left out because they derive from another run (compression children: `parentRunId` set). */
  derivedExcluded: number;
  groups: { name: string; runs: number }[];
};

/** The rows at `idx`, every column cut the same way. */
function pickRows(rows: RunRows, idx: number[]): RunRows {
  const pick = <T>(a: T[]) => idx.map((i) => a[i]);
  const each = <T>(o: Record<string, T[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, pick(v)]));
  return {
    ...rows,
    count: idx.length,
    id: pick(rows.id), name: pick(rows.name), status: pick(rows.status),
    baseModel: pick(rows.baseModel), dataset: pick(rows.dataset), method: pick(rows.method), group: pick(rows.group),
    tags: pick(rows.tags), parentRunId: pick(rows.parentRunId), seed: pick(rows.seed),
    createdAt: pick(rows.createdAt), durationSec: pick(rows.durationSec),
    config: each(rows.config), summary: each(rows.summary),
    metrics: Object.fromEntries(Object.entries(rows.metrics).map(([k, m]) => [k, { min: pick(m.min), max: pick(m.max), last: pick(m.last) }])),
  };
}

/** The runs a factor analysis covers: derived runs (a parent run set) only when asked for. */
export function analysedRows(rows: RunRows, includeDerived: boolean): { rows: RunRows; scope: RunScope } {
  const idx = rows.id.flatMap((_, i) => (includeDerived || rows.parentRunId[i] === null ? [i] : []));
  const out = idx.length === rows.count ? rows : pickRows(rows, idx);
  const counts = new Map<string, number>();
  for (const g of out.group) if (g !== null) counts.set(g, (counts.get(g) ?? 0) + 1);
  const groups = [...counts].map(([name, runs]) => ({ name, runs })).sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name));
  return { rows: out, scope: { runs: out.count, derivedExcluded: rows.count - out.count, groups } };
}

/** Every field that could be a factor: the first-class fields, the seed, then each config path. */
export function factorCandidates(rows: RunRows): CandidateColumn[] {
  return [
    { key: "baseModel", values: rows.baseModel },
    { key: "dataset", values: rows.dataset },
    { key: "method", values: rows.method },
    { key: "seed", values: rows.seed },
    ...Object.entries(rows.config).map(([key, values]) => ({ key, values })),
  ];
}

/** The target of every run; a config or summary path that no run stored reads as "no value", never an object's own property (`config.constructor`). */
export function readAnalysisTarget(rows: RunRows, target: string): (number | null)[] {
  const m = /^(config|summary)\.(.+)$/.exec(target);
  if (m && !Object.hasOwn(rows[m[1] as "config" | "summary"], m[2])) return new Array(rows.count).fill(null);
  return readTarget(rows, target);
}
