import { printTable } from "../print-table";
import type { ImportProblem, SourceRun } from "./types";
import type { WriteResult } from "./write-run";

export type RunOutcome = { run: SourceRun; result?: WriteResult; failure?: string };

export function runStats(run: SourceRun): { lastStep: number; metrics: number; points: number } {
  let lastStep = 0;
  const keys = new Set<string>();
  for (const p of run.points) {
    keys.add(p.key);
    if (p.step > lastStep) lastStep = p.step;
  }
  return { lastStep, metrics: keys.size, points: run.points.length };
}

const where = (p: ImportProblem) => `${p.file}${p.where ? ` (${p.where})` : ""}: ${p.message}`;

/** Per run: format, last step, metrics, points, base model, method, dataset, what happened; then notes, problems and a total. */
export function printSummary(outcomes: RunOutcome[], problems: ImportProblem[], write: (text: string) => void): void {
  const rows = outcomes.map(({ run, result, failure }) => {
    const s = runStats(run);
    return [run.format, run.name, String(s.lastStep), String(s.metrics), String(s.points), run.baseModel ?? "-", run.method ?? "-", run.dataset ?? "-", failure ? "failed" : (result?.state ?? "-"), result?.id ?? ""];
  });
  if (rows.length) printTable(["FORMAT", "RUN", "STEPS", "METRICS", "POINTS", "BASE MODEL", "METHOD", "DATASET", "RESULT", "ID"], rows, write);
  for (const { run } of outcomes) for (const note of run.skipped) write(`  ${run.name}: skipped ${note}\n`);
  const all = [...problems, ...outcomes.flatMap((o) => o.run.problems), ...outcomes.filter((o) => o.failure).map((o) => ({ file: o.run.source, message: o.failure! }))];
  for (const p of all) write(`problem: ${where(p)}\n`);
  const count = (state: string) => outcomes.filter((o) => o.result?.state === state).length;
  const points = outcomes.reduce((n, o) => n + o.run.points.length, 0);
  const inserted = outcomes.reduce((n, o) => n + (o.result?.inserted ?? 0), 0);
  const parts = [`${outcomes.length} run(s) found`];
  if (count("dry run")) parts.push(`dry run: nothing written`);
  else parts.push(`${count("created") + count("resumed")} imported`, `${count("already imported")} already imported`);
  const failed = outcomes.filter((o) => o.failure).length;
  if (failed) parts.push(`${failed} failed`);
  write(`total: ${parts.join(", ")}; ${points} point(s)${count("dry run") ? "" : `, ${inserted} new`}; ${all.length} problem(s)\n`);
}

export function problemCount(outcomes: RunOutcome[], problems: ImportProblem[]): number {
  return problems.length + outcomes.reduce((n, o) => n + o.run.problems.length + (o.failure ? 1 : 0), 0);
}
