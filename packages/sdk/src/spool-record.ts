import type { ArtifactLogInput, MetricPoint, RunCreateInput, RunFinishInput, RunUpdateInput } from "@finetrack/contracts";
import { wireTransformer } from "@finetrack/contracts";
import { classifyError, preEncodedBatch, RejectedInputError, type ApiClient, type PointRejection } from "./api-client";

/** Everything a run sends, in order; the spool stores exactly these, one per line. */
export type SpoolRecord =
  | { t: "create"; input: RunCreateInput & { id: string } }
  | { t: "update"; input: RunUpdateInput }
  | PointsRecord
  | { t: "artifact"; input: ArtifactLogInput }
  | { t: "finish"; input: RunFinishInput };

export type PointsRecord = {
  t: "points";
  points: MetricPoint[];
  /**
   * The points as JSON array elements, as the wire sends them (durable mode writes it once, for
   * disk and request); a merged batch keeps its parts apart, to be joined only by the request body.
   */
  wire?: string | string[];
  /** How many points, without touching `points` (which a wire record parses only when asked). */
  count?: number;
};

/**
 * A points record held as its JSON text only: a queue of these keeps strings, not 10^5 point
 * objects, and the objects are parsed back only when something needs them (a refusal to split).
 */
export function wirePoints(wire: string | string[], count: number): PointsRecord {
  let points: MetricPoint[] | undefined;
  return {
    t: "points",
    wire,
    count,
    get points() {
      return (points ??= JSON.parse(`[${joinWire(wire)}]`) as MetricPoint[]);
    },
  };
}

export const joinWire = (wire: string | string[]): string => (Array.isArray(wire) ? wire.join(",") : wire);

/** Array.prototype.flat is generic and slow on 10^4 elements; this is a plain copy. */
export function concat<T>(parts: T[][], total: number): T[] {
  const out = new Array<T>(total);
  let at = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) out[at++] = part[i];
  return out;
}

/** Consecutive point records as one (their `wire` too, when every part has it). */
export function mergePoints(parts: PointsRecord[]): PointsRecord {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + recordPointCount(p), 0);
  if (parts.every((p) => p.wire !== undefined)) return wirePoints(parts.flatMap((p) => p.wire!), total);
  return { t: "points", points: concat(parts.map((p) => p.points), total) };
}

export function recordPointCount(record: SpoolRecord): number {
  return record.t === "points" ? (record.count ?? record.points.length) : 0;
}

/** Sends one record; every kind is idempotent on the server, so a retry after a lost reply is safe. */
export async function sendRecord(client: ApiClient, runId: string, record: SpoolRecord): Promise<void> {
  if (record.t !== "points") assertEncodable(record);
  switch (record.t) {
    case "create":
      await client.run.create.mutate(record.input);
      return;
    case "update":
      await client.run.update.mutate(record.input);
      return;
    case "points":
      await client.metric.logBatch.mutate(record.wire === undefined ? { runId, points: record.points } : preEncodedBatch(runId, record.wire));
      return;
    case "artifact":
      await client.artifact.log.mutate(record.input);
      return;
    case "finish":
      await client.run.finish.mutate(record.input);
      return;
  }
}

/** A value the wire format cannot carry would fail the same way on every retry: refuse it once. */
function assertEncodable(record: Exclude<SpoolRecord, { t: "points" }>): void {
  try {
    wireTransformer.serialize(record.input);
  } catch (error) {
    throw new RejectedInputError(`cannot encode this ${record.t} record: ${(error as Error).message}`);
  }
}

/** Why a record (or each point of a points record) was refused. */
export type Rejection = { code: string; why: string | string[] };

/**
 * Sends a record. When the server refuses a batch of points it lists the bad ones (`data.rejected`):
 * those go to `onReject` and the rest is sent again in one request. (A server that names no point
 * gets the batch halved until the bad points are alone.) Network and auth errors are thrown for the
 * caller to retry; other refused records go to `onReject`.
 */
export async function sendRecordIsolating(client: ApiClient, runId: string, record: SpoolRecord, onReject: (record: SpoolRecord, why: Rejection) => void): Promise<void> {
  let current = record;
  for (;;) {
    try {
      await sendRecord(client, runId, current);
      return;
    } catch (error) {
      const failure = classifyError(error);
      if (failure.kind !== "reject") throw error;
      if (current.t === "points" && failure.rejected) {
        const split = splitRejected(current.points, failure.rejected);
        if (split.refused.length > 0) {
          onReject({ t: "points", points: split.refused }, { code: failure.code, why: split.why });
          if (split.kept.length === 0) return;
          current = { t: "points", points: split.kept };
          continue;
        }
      }
      if (current.t !== "points" || current.points.length <= 1) {
        onReject(current, { code: failure.code, why: failure.message });
        return;
      }
      const middle = current.points.length >> 1;
      await sendRecordIsolating(client, runId, { t: "points", points: current.points.slice(0, middle) }, onReject);
      await sendRecordIsolating(client, runId, { t: "points", points: current.points.slice(middle) }, onReject);
      return;
    }
  }
}

function splitRejected(points: MetricPoint[], rejected: PointRejection[]): { kept: MetricPoint[]; refused: MetricPoint[]; why: string[] } {
  const byIndex = new Map<number, PointRejection>();
  for (const r of rejected) if (r.index < points.length && !byIndex.has(r.index)) byIndex.set(r.index, r);
  const kept: MetricPoint[] = [];
  const refused: MetricPoint[] = [];
  const why: string[] = [];
  points.forEach((point, i) => {
    const r = byIndex.get(i);
    if (!r) return void kept.push(point);
    refused.push(point);
    // `points.3.value` names the field inside this request; `value` is what holds in the rejected file.
    const field = r.field?.replace(/^points[.[]\d+\]?\.?/, "");
    why.push(field ? `${field}: ${r.message}` : r.message);
  });
  return { kept, refused, why };
}
