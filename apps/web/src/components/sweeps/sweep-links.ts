import { readAnalysisView, writeAnalysisView } from "../analysis/analysis-view-state";

/** The ablation or factor-impact page scoped to the sweep's runs (every trial's run is in its group). */
export function scopedHref(project: string, page: "ablation" | "impact", group: string, target: string, goal: "minimize" | "maximize"): string {
  const view = { ...readAnalysisView(new URLSearchParams()), filter: { group: [group] }, target: `metrics.${target}.${goal === "minimize" ? "min" : "max"}`, direction: goal };
  return `/p/${encodeURIComponent(project)}/${page}${writeAnalysisView(view)}`;
}

/** "12 s ago" for a heartbeat, from `now`. */
export function ago(when: Date | string | null, now: number): string {
  if (!when) return "—";
  const s = Math.max(0, Math.round((now - new Date(when).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}
