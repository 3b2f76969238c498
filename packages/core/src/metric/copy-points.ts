import type { PoolClient } from "../shared/pg-types";
import { copyNullable, copyText, isoFormatter } from "./copy-text";
import type { Point } from "./tiers";

/** Appends the points of each key with one COPY. */
export async function copyPoints(client: PoolClient, runSeq: number, curves: { keyId: number; points: Point[] }[]): Promise<number> {
  const iso = isoFormatter();
  let text = "";
  let n = 0;
  for (const { keyId, points } of curves) {
    for (const p of points) text += `${runSeq}\t${keyId}\t${p.step}\t${p.value}\t${copyNullable(p.epoch)}\t${iso(p.time)}\n`;
    n += points.length;
  }
  if (n > 0) await copyText(client, `COPY "MetricPoint" ("runSeq", "keyId", "step", "value", "epoch", "time") FROM STDIN`, text);
  return n;
}
