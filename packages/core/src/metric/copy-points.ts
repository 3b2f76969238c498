import type { PoolClient } from "../shared/pg-types";
import { BinaryCopyWriter } from "./binary-copy";
import { copyFromStdin } from "./copy-from-stdin";
import type { Point } from "./tiers";

const ROW_BYTES = 2 + 8 + 8 + 8 + 12 + 8 + 12;

/** Appends the points of each key with one binary COPY. */
export async function copyPoints(client: PoolClient, runSeq: number, curves: { keyId: number; points: Point[] }[]): Promise<number> {
  const n = curves.reduce((sum, c) => sum + c.points.length, 0);
  if (n === 0) return 0;
  const w = new BinaryCopyWriter(n * ROW_BYTES);
  for (const { keyId, points } of curves) {
    for (const p of points) w.row(6).int4(runSeq).int4(keyId).int4(p.step).float8(p.value).float4OrNull(p.epoch).timestampMs(p.time);
  }
  await copyFromStdin(client, `COPY "MetricPoint" ("runSeq", "keyId", "step", "value", "epoch", "time") FROM STDIN (FORMAT binary)`, w.finish());
  return n;
}
