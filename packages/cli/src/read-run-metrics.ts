import { MAX_SERIES_POINTS } from "@finetrack/contracts";
import type { ApiClient } from "@finetrack/sdk";
import type { ExportedRun } from "./format-export";

/** Every stored point of a run's metric keys (all of them unless `only` names some), page by page. */
export async function readRunMetrics(client: ApiClient, runId: string, only?: string[]): Promise<ExportedRun["metrics"]> {
  const keys = only ?? (await client.metric.keys.query({ runIds: [runId] })).keys;
  // No prototype: a metric named `__proto__` is a key like any other.
  const metrics: ExportedRun["metrics"] = Object.create(null);
  for (const key of keys) {
    const curve: ExportedRun["metrics"][string] = { step: [], value: [], epoch: [], time: [] };
    for (let afterStep: number | null = -1; afterStep !== null; ) {
      const page = await client.metric.points.query({ runId, key, afterStep, limit: MAX_SERIES_POINTS });
      curve.step.push(...page.step);
      curve.value.push(...page.value);
      curve.epoch.push(...page.epoch);
      curve.time.push(...page.time);
      afterStep = page.nextAfterStep;
    }
    metrics[key] = curve;
  }
  return metrics;
}
