import { medianStopping, type MedianStoppingDecision, type TrialCurve } from "@finetrack/analysis";
import type { PoolClient } from "../shared/pg-types";
import type { SweepRow } from "./load-sweep";

/**
 * The median stopping rule for one running trial, from the runs' own logged metric (the sweep's
 * `metric`): every other trial's current run that has points is a peer.
 */
export async function evaluateEarlyStop(client: PoolClient, sweep: SweepRow, trialId: string): Promise<MedianStoppingDecision | null> {
  const rule = sweep.spec.earlyTerminate;
  if (!rule) return null;
  const { rows } = await client.query(
    `SELECT t."id", array_agg(p."step" ORDER BY p."step") AS steps, array_agg(p."value" ORDER BY p."step") AS "values"
       FROM "Trial" t
       JOIN "Sweep" s ON s."id" = t."sweepId"
       JOIN "Run" r ON r."projectId" = s."projectId" AND r."id" = t."runId"
       JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = $2
       JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id"
      WHERE t."sweepId" = $1 AND t."state" IN ('running', 'finished', 'stopped_early')
      GROUP BY t."id"`,
    [sweep.id, sweep.spec.metric.name],
  );
  const sign = sweep.spec.metric.goal === "maximize" ? -1 : 1;
  const curves = new Map<string, TrialCurve>(rows.map((r) => [r.id, { steps: r.steps, values: (r.values as number[]).map((v) => sign * v) }]));
  const mine = curves.get(trialId);
  if (!mine) return { stop: false, reason: `no '${sweep.spec.metric.name}' logged yet` };
  curves.delete(trialId);
  return medianStopping(mine, [...curves.values()], { minStep: rule.minStep, minTrials: rule.minTrials });
}
