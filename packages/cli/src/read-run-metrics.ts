import { MAX_SERIES_KEYS, MAX_SERIES_POINTS } from "@finetrack/contracts";
import type { ApiClient } from "@finetrack/sdk";
import type { ExportedRun } from "./format-export";

/** Every stored point of a run's metric keys (all of them unless `only` names some). */
export async function readRunMetrics(client: ApiClient, runId: string, only?: string[]): Promise<ExportedRun["metrics"]> {
  const keys = only ?? (await client.metric.keys.query({ runIds: [runId] })).keys;
  const metrics: ExportedRun["metrics"] = {};
  for (let i = 0; i < keys.length; i += MAX_SERIES_KEYS) {
    const { series } = await client.metric.series.query({ runIds: [runId], keys: keys.slice(i, i + MAX_SERIES_KEYS), maxPoints: MAX_SERIES_POINTS });
    for (const curve of series) {
      if (curve.sampled) throw new Error(`run ${runId} key '${curve.key}' has ${curve.total} points, more than the ${MAX_SERIES_POINTS} one request returns`);
      metrics[curve.key] = { step: curve.step, value: curve.value, epoch: curve.epoch, time: curve.time };
    }
  }
  return metrics;
}
