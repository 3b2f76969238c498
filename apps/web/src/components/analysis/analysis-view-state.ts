import type { RunFilter } from "@finetrack/contracts";
import { readTableView, writeTableView, EMPTY_VIEW } from "@/lib/view-state";

type Direction = "minimize" | "maximize";

/** The factor-impact and ablation pages' state, all of it in the URL so that a link reproduces the page. */
export interface AnalysisView {
  filter: RunFilter;
  target: string | null;
  direction: Direction | null;
  /** Factor page: heatmap pair, strip and scatter factor, parallel axes, derived runs in. */
  heat: [string, string] | null;
  strip: string | null;
  scatter: string | null;
  axes: number | null;
  derived: boolean;
  /** Ablation page: grid axes and the baseline cell (`row|column`). */
  rows: string | null;
  columns: string | null;
  split: string | null;
  baseline: { row: string; column: string } | null;
}

const pair = (text: string | null): [string, string] | null => {
  const parts = text?.split("|");
  return parts && parts.length === 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : null;
};

export function readAnalysisView(params: URLSearchParams): AnalysisView {
  const dir = params.get("dir");
  const axes = Number(params.get("axes"));
  const base = pair(params.get("baseline"));
  return {
    filter: readTableView(params).filter,
    target: params.get("target") || null,
    direction: dir === "minimize" || dir === "maximize" ? dir : null,
    heat: pair(params.get("heat")),
    strip: params.get("strip") || null,
    scatter: params.get("scatter") || null,
    axes: Number.isInteger(axes) && axes > 0 ? axes : null,
    derived: params.get("derived") === "1",
    rows: params.get("rows") || null,
    columns: params.get("columns") || null,
    split: params.get("split") || null,
    baseline: base ? { row: base[0], column: base[1] } : null,
  };
}

export function writeAnalysisView(v: AnalysisView): string {
  const params = new URLSearchParams(writeTableView({ ...EMPTY_VIEW, filter: v.filter }).slice(1));
  const set = (k: string, value: string | null | undefined) => value && params.set(k, value);
  set("target", v.target);
  set("dir", v.direction);
  set("heat", v.heat?.join("|"));
  set("strip", v.strip);
  set("scatter", v.scatter);
  set("axes", v.axes ? String(v.axes) : null);
  set("derived", v.derived ? "1" : null);
  set("rows", v.rows);
  set("columns", v.columns);
  set("split", v.split);
  set("baseline", v.baseline ? `${v.baseline.row}|${v.baseline.column}` : null);
  const text = params.toString();
  return text ? `?${text}` : "";
}
