import type { RunFilter } from "@finetrack/contracts";

/** The filter that narrows `base` to runs whose `field` equals `level` (null when it cannot be expressed). */
export function narrowFilter(base: RunFilter, field: string, level: string): RunFilter | null {
  if (level === "(missing)") return null;
  if (field === "baseModel" || field === "method" || field === "dataset" || field === "group") return { ...base, [field]: [level] };
  if (field.startsWith("config.") || field.startsWith("summary.")) {
    const n = Number(level);
    const value = level === "true" ? true : level === "false" ? false : level !== "" && Number.isFinite(n) ? n : level;
    return { ...base, where: [...(base.where ?? []), { field, op: "eq", value }] };
  }
  return null;
}

export function runsHref(project: string, filter: RunFilter): string {
  return `/p/${encodeURIComponent(project)}?filter=${encodeURIComponent(JSON.stringify(filter))}`;
}
