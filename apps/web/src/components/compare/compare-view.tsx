"use client";
import { useCallback, useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import type { RunRows, Scalar } from "@/trpc/types";
import { ChartControls, DEFAULT_CHART_SETTINGS } from "../charts/chart-controls";
import { ChartLegend } from "../charts/chart-legend";
import { MetricCharts, type CurveOf } from "../charts/metric-charts";
import { seriesColor } from "../charts/palette";
import { Empty, ErrorState, Loading } from "../states";
import { targetOptions } from "../analysis/field-options";
import { ConfigDiff } from "./config-diff";
import { SeedComparison } from "./seed-comparison";
import { toggled } from "../../lib/toggled";

const MAX_COMPARE = 100;

/**
 * Fewer points per curve as runs add up: a chart is ~1,000 px wide and 100 overlaid curves are
 * read as a band, while min and max of every bucket survive downsampling, so spikes still show.
 */
function pointsFor(runCount: number): number {
  return runCount > 50 ? 200 : runCount > 20 ? 400 : 1_000;
}

export function CompareView({ project, runIds }: { project: string; runIds: string[] }) {
  const trpc = useTRPC();
  // The same ids on every render while the selection is the same (the memos below depend on them).
  const idsKey = JSON.stringify(runIds.slice(0, MAX_COMPARE));
  const ids = useMemo(() => JSON.parse(idsKey) as string[], [idsKey]);
  const [settings, setSettings] = useState(DEFAULT_CHART_SETTINGS);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  // One query for every selected run's fields (not one per run): it stays off the series' way.
  const rowsQuery = useQuery({ ...trpc.analysis.runRows.queryOptions({ project, ids }), enabled: ids.length >= 2 });
  const runs = useMemo(() => (rowsQuery.data ? toCompareRuns(rowsQuery.data, ids) : []), [rowsQuery.data, ids]);
  const firstError = rowsQuery.error;
  const targets = useMemo(() => targetOptions(rowsQuery.data), [rowsQuery.data]);
  const anyRunning = runs.some((r) => r.status === "running");
  const keysQuery = useQuery({ ...trpc.metric.keys.queryOptions({ project, runIds: ids }), enabled: ids.length > 0 });
  const keys = keysQuery.data?.keys ?? [];
  const seriesQuery = useQuery({
    ...trpc.metric.series.queryOptions({ project, runIds: ids, keys, maxPoints: pointsFor(ids.length) }),
    enabled: keys.length > 0,
    refetchInterval: anyRunning ? 2_000 : false,
    placeholderData: (prev) => prev,
  });
  const labels = useMemo(
    () =>
      ids.map((id, i) => {
        const run = runs.find((r) => r.id === id);
        return { id, label: run?.name ?? id, color: seriesColor(i) };
      }),
    [ids, runs],
  );
  const curves: CurveOf[] = useMemo(() => seriesQuery.data?.series ?? [], [seriesQuery.data]);
  // The seed comparison reads every run of the project; it starts once the curves are in, so its
  // server work does not sit in front of the series request (the charts are what the page is for).
  const curvesSettled = keysQuery.isError || (keysQuery.isSuccess && keys.length === 0) || seriesQuery.data !== undefined || seriesQuery.isError;
  // Stable while the rows are, so the tables do not re-render when the curves arrive.
  const summaryRuns = useMemo(() => runs.map((r) => ({ id: r.id, name: r.name, values: r.summary })), [runs]);
  const configRuns = useMemo(() => runs.map((r) => ({ id: r.id, name: r.name, values: r.config })), [runs]);
  const toggleRun = useCallback((id: string) => setHidden((prev) => toggled(prev, id)), []);
  const showOnly = useCallback((only: string[] | null) => setHidden(only ? new Set(ids.filter((id) => !only.includes(id))) : new Set()), [ids]);

  if (ids.length < 2) {
    return (
      <Empty title="Pick at least two runs to compare">
        Select runs in the <Link href={`/p/${project}`}>runs table</Link>, then press Compare.
      </Empty>
    );
  }
  if (firstError && !runs.length) return <ErrorState error={firstError} what="these runs" />;

  return (
    <div className="stack" data-testid="compare-view">
      <h1>Compare {ids.length} runs</h1>
      {runIds.length > MAX_COMPARE && <p className="state error">Only the first {MAX_COMPARE} runs are compared.</p>}
      <ChartControls value={settings} onChange={setSettings} />
      <p className="muted" data-testid="line-styles" style={{ margin: 0 }}>
        Colour is the run; a solid line is train, a dashed line is validation.
      </p>
      <ChartLegend
        items={labels}
        hidden={hidden}
        onToggle={toggleRun}
        onShowOnly={showOnly}
      />
      {keysQuery.error ? (
        <ErrorState error={keysQuery.error} what="metrics" />
      ) : seriesQuery.error && !seriesQuery.data ? (
        <ErrorState error={seriesQuery.error} what="curves" />
      ) : keysQuery.data && keys.length === 0 ? (
        <Empty title="These runs logged no metrics" />
      ) : !seriesQuery.data ? (
        <Loading what="curves" />
      ) : (
        <MetricCharts runs={labels} curves={curves} settings={settings} hidden={hidden} />
      )}
      {rowsQuery.data && runs.length < ids.length && (
        <p className="state error">{ids.length - runs.length} of these runs are not in project {project}; they are left out.</p>
      )}
      {targets.length > 0 && <SeedComparison project={project} runIds={ids} targets={targets} start={curvesSettled} />}
      {rowsQuery.data ? (
        <>
          <ConfigDiff runs={configRuns} title="Config (keys that differ)" />
          <ConfigDiff runs={summaryRuns} title="Summaries" />
        </>
      ) : (
        <Loading what="configs and summaries" />
      )}
    </div>
  );
}

interface CompareRun {
  id: string;
  name: string;
  status: string;
  config: Record<string, Scalar>;
  summary: Record<string, Scalar>;
}

/** The selected runs, in the order of the link, from the column-wise table rows. */
function toCompareRuns(rows: RunRows, ids: string[]): CompareRun[] {
  const at = new Map(rows.id.map((id, i) => [id, i]));
  return ids.flatMap((id) => {
    const i = at.get(id);
    if (i === undefined) return [];
    const config: Record<string, Scalar> = { baseModel: rows.baseModel[i], method: rows.method[i], dataset: rows.dataset[i] };
    for (const [k, col] of Object.entries(rows.config)) if (col[i] !== null) config[k] = col[i];
    const summary: Record<string, Scalar> = {};
    for (const [k, m] of Object.entries(rows.metrics)) {
      if (m.min[i] !== null) summary[`${k} (min)`] = m.min[i];
      if (m.last[i] !== null) summary[`${k} (last)`] = m.last[i];
    }
    for (const [k, col] of Object.entries(rows.summary)) if (col[i] !== null) summary[k] = col[i];
    return [{ id, name: rows.name[i], status: rows.status[i], config, summary }];
  });
}
