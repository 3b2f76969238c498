import type { ArtifactLogInput, MetricPoint, RunCreateInput, RunFinishInput, RunUpdateInput } from "@finetrack/contracts";
import type { ApiClient } from "./api-client";

/** Everything a run sends, in order; the spool stores exactly these, one per line. */
export type SpoolRecord =
  | { t: "create"; input: RunCreateInput & { id: string } }
  | { t: "update"; input: RunUpdateInput }
  | { t: "points"; points: MetricPoint[] }
  | { t: "artifact"; input: ArtifactLogInput }
  | { t: "finish"; input: RunFinishInput };

export function recordPointCount(record: SpoolRecord): number {
  return record.t === "points" ? record.points.length : 0;
}

/** Sends one record; every kind is idempotent on the server, so a retry after a lost reply is safe. */
export async function sendRecord(client: ApiClient, runId: string, record: SpoolRecord, signal?: AbortSignal): Promise<void> {
  const options = { signal };
  switch (record.t) {
    case "create":
      await client.run.create.mutate(record.input, options);
      return;
    case "update":
      await client.run.update.mutate(record.input, options);
      return;
    case "points":
      await client.metric.logBatch.mutate({ runId, points: record.points }, options);
      return;
    case "artifact":
      await client.artifact.log.mutate(record.input, options);
      return;
    case "finish":
      await client.run.finish.mutate(record.input, options);
      return;
  }
}
