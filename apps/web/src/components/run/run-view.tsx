"use client";
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { ChartControls, DEFAULT_CHART_SETTINGS } from "../charts/chart-controls";
import { xAt } from "../charts/chart-data";
import type { ChartMarker } from "../charts/line-chart";
import { MetricCharts, type CurveOf } from "../charts/metric-charts";
import { splitOf } from "../charts/metric-groups";
import { seriesColor } from "../charts/palette";
import { Empty, ErrorState, Loading } from "../states";
import { DiagnosisPanel } from "./diagnosis-panel";
import { JsonTable } from "./json-table";
import { RunHeader } from "./run-header";
import { ChildRuns } from "./child-runs";

/** Running runs refresh this often: the page is at most this far behind the database. */
export const LIVE_POLL_MS = 1_500;
const SERIES_POINTS = 1_000;

export function RunView({ project, runId }: { project: string; runId: string }) {
  const trpc = useTRPC();
  const [settings, setSettings] = useState(DEFAULT_CHART_SETTINGS);
  const runQuery = useQuery({
    ...trpc.run.get.queryOptions({ id: runId, project }),
    refetchInterval: (q) => (q.state.data?.status === "running" ? LIVE_POLL_MS : false),
  });
  const live = runQuery.data?.status === "running";
  const poll = live ? LIVE_POLL_MS : false;
  const keysQuery = useQuery({ ...trpc.metric.keys.queryOptions({ project, runIds: [runId] }), refetchInterval: poll });
  const keys = keysQuery.data?.keys ?? [];
  const seriesQuery = useQuery({
    ...trpc.metric.series.queryOptions({ project, runIds: [runId], keys, maxPoints: SERIES_POINTS }),
    enabled: keys.length > 0,
    refetchInterval: poll,
    placeholderData: (prev) => prev,
  });
  const diagnoseQuery = useQuery({
    ...trpc.analysis.diagnose.queryOptions({ runId, project }),
    enabled: keys.length > 0,
    refetchInterval: live ? LIVE_POLL_MS * 2 : false,
    placeholderData: (prev) => prev,
  });

  const run = runQuery.data;
  const curves: CurveOf[] = useMemo(() => seriesQuery.data?.series ?? [], [seriesQuery.data]);
  const runs = useMemo(
    () => (run ? [{ id: run.id, label: run.name, color: seriesColor(0), startMs: (run.startedAt ?? run.createdAt).getTime() }] : []),
    [run],
  );
  const markers = useMemo(() => {
    const d = diagnoseQuery.data;
    if (!d?.diagnosis || !d.valKey || !run) return undefined;
    const valKey = d.valKey;
    const valCurve = curves.find((c) => c.key === valKey);
    const toX = (step: number) => {
      if (settings.xMode === "step" || !valCurve) return step;
      let best = 0;
      for (let i = 0; i < valCurve.step.length; i++) if (Math.abs(valCurve.step[i] - step) < Math.abs(valCurve.step[best] - step)) best = i;
      return xAt(valCurve, best, settings.xMode, runs[0]?.startMs ?? 0);
    };
    const list: ChartMarker[] = [];
    if (d.diagnosis.best) list.push({ x: toX(d.diagnosis.best.step), label: `best @${d.diagnosis.best.step}`, color: "#1f8a4c" });
    if (d.diagnosis.onsetStep !== null) list.push({ x: toX(d.diagnosis.onsetStep), label: `onset @${d.diagnosis.onsetStep}`, color: "#d64541" });
    return { [splitOf(valKey).base]: list, [valKey]: list };
  }, [diagnoseQuery.data, curves, settings.xMode, run, runs]);

  if (runQuery.error && !run) return <ErrorState error={runQuery.error} what={`run '${runId}'`} />;
  if (!run) return <Loading what="run" />;

  return (
    <div className="stack" data-testid="run-view" data-status={run.status}>
      <RunHeader run={run} project={project} />
      <section className="stack" aria-label="Metrics">
        <div className="row">
          <h2 style={{ margin: 0 }}>Metrics</h2>
          {live && (
            <span className="badge status-running" aria-live="polite">
              live · refreshes every {LIVE_POLL_MS / 1000}s
            </span>
          )}
        </div>
        <ChartControls value={settings} onChange={setSettings} />
        {keysQuery.error ? (
          <ErrorState error={keysQuery.error} what="metrics" />
        ) : keysQuery.isPending ? (
          <Loading what="metrics" />
        ) : keys.length === 0 ? (
          <Empty title="No metrics logged yet">{live ? "They appear here as the run logs them." : "This run logged no metric."}</Empty>
        ) : seriesQuery.error && !seriesQuery.data ? (
          <ErrorState error={seriesQuery.error} what="curves" />
        ) : !seriesQuery.data ? (
          <Loading what="curves" />
        ) : (
          <MetricCharts runs={runs} curves={curves} settings={settings} markers={markers} />
        )}
      </section>
      {diagnoseQuery.error ? (
        <ErrorState error={diagnoseQuery.error} what="the diagnosis" />
      ) : diagnoseQuery.data ? (
        <DiagnosisPanel result={diagnoseQuery.data} />
      ) : null}
      <ChildRuns project={project} runId={run.id} />
      <div className="grid-2">
        <section className="panel" aria-label="Config">
          <h2 style={{ marginTop: 0 }}>Config</h2>
          <JsonTable value={run.config} label="config" finetuningType={run.method} />
        </section>
        <section className="panel" aria-label="System">
          <h2 style={{ marginTop: 0 }}>System</h2>
          <JsonTable value={run.system} label="system info" />
          <h2>Summary</h2>
          <JsonTable value={run.summary} label="summary" />
        </section>
      </div>
    </div>
  );
}
