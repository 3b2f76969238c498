import type { ArtifactLogInput, MetricPoint, RunCreateInput, RunFinishInput, RunUpdateInput } from "@finetrack/contracts";
import { classifyError, type ApiClient } from "./api-client";

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
export async function sendRecord(client: ApiClient, runId: string, record: SpoolRecord): Promise<void> {
  switch (record.t) {
    case "create":
      await client.run.create.mutate(record.input);
      return;
    case "update":
      await client.run.update.mutate(record.input);
      return;
    case "points":
      await client.metric.logBatch.mutate({ runId, points: record.points });
      return;
    case "artifact":
      await client.artifact.log.mutate(record.input);
      return;
    case "finish":
      await client.run.finish.mutate(record.input);
      return;
  }
}

export type Rejection = { code: string; message: string };

/**
 * Sends a record; when the server rejects a batch of points (a bad or conflicting point in it),
 * halves the batch until the bad points are alone, so every good point is still stored.
 * Network and auth errors are thrown for the caller to retry; rejected records go to `onReject`.
 */
export async function sendRecordIsolating(client: ApiClient, runId: string, record: SpoolRecord, onReject: (record: SpoolRecord, why: Rejection) => void): Promise<void> {
  try {
    await sendRecord(client, runId, record);
  } catch (error) {
    const failure = classifyError(error);
    if (failure.kind !== "reject") throw error;
    if (record.t !== "points" || record.points.length <= 1) {
      onReject(record, failure);
      return;
    }
    const middle = record.points.length >> 1;
    await sendRecordIsolating(client, runId, { t: "points", points: record.points.slice(0, middle) }, onReject);
    await sendRecordIsolating(client, runId, { t: "points", points: record.points.slice(middle) }, onReject);
  }
}
