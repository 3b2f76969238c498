"use client";
import { useMemo } from "react";
import { toLinePoints, type ChartLine, type CurveColumns } from "./chart-data";
import type { ChartSettings } from "./chart-controls";
import { X_TITLE } from "./chart-layout";
import { LineChart, type ChartBand, type ChartMarker } from "./line-chart";
import { SingleValues } from "./single-values";
import { groupMetricKeys, splitOf } from "./metric-groups";
import { seriesColor } from "./palette";

export interface CurveOf extends CurveColumns {
  runId: string;
  key: string;
}

export interface RunLabel {
  id: string;
  label: string;
  color: string;
  /** ms since the epoch; relative time counts from here. */
  startMs?: number;
}

const SPLIT_COLOR = { train: seriesColor(0), val: seriesColor(1), test: seriesColor(2) } as const;

/**
 * One chart per metric quantity, train and validation of it on the same axes. With one run,
 * colors tell the split apart and the generalization gap is shaded; with many, colors tell runs
 * apart and validation is dashed.
 */
export function MetricCharts({
  runs,
  curves,
  settings,
  hidden,
  markers,
  onDrawn,
}: {
  runs: RunLabel[];
  curves: CurveOf[];
  settings: ChartSettings;
  hidden?: ReadonlySet<string>;
  markers?: Record<string, ChartMarker[]>;
  onDrawn?: () => void;
}) {
  const single = runs.length === 1;
  const charts = useMemo(() => {
    const runById = new Map(runs.map((r) => [r.id, r]));
    const keys = [...new Set(curves.map((c) => c.key))];
    return groupMetricKeys(keys).map((group) => {
      const lines: ChartLine[] = [];
      const bands: ChartBand[] = [];
      for (const c of curves) {
        if (!group.keys.includes(c.key)) continue;
        const run = runById.get(c.runId);
        if (!run) continue;
        const { split } = splitOf(c.key);
        const pts = toLinePoints(c, { xMode: settings.xMode, smoothing: settings.smoothing, logY: settings.logY, startMs: run.startMs });
        lines.push({
          id: single ? c.key : `${c.runId}\u0000${c.key}`,
          label: single ? c.key : `${run.label} · ${c.key}`,
          color: single ? (split ? SPLIT_COLOR[split] : run.color) : run.color,
          dash: !single && split === "val" ? [6, 3] : undefined,
          // Many runs: 1 px, which canvas strokes as a hairline; 1.25 px goes through the general
          // stroker and rasterized 200 curves ~7× slower in Chromium's software canvas.
          width: single ? 2 : 1,
          ...pts,
        });
      }
      if (single) {
        const train = group.keys.find((k) => splitOf(k).split === "train");
        const val = group.keys.find((k) => splitOf(k).split === "val");
        if (train && val) bands.push({ a: val, b: train });
      }
      return { title: group.title, lines, bands };
    });
  }, [runs, curves, settings, single]);

  const lineHidden = useMemo(() => {
    if (!hidden || single) return hidden;
    const out = new Set<string>();
    for (const chart of charts) for (const l of chart.lines) if (hidden.has(l.id.split("\u0000")[0])) out.add(l.id);
    return out;
  }, [hidden, charts, single]);

  return (
    <div className="grid-2" data-testid="metric-charts">
      {charts.map((chart) => (
        <section className="chart-card" key={chart.title} aria-label={`Chart of ${chart.title}`} data-metric={chart.title}>
          <h3>{chart.title}</h3>
          {single && chart.lines.some((l) => l.x.length > 1) && (
            <div className="legend" aria-hidden>
              {chart.lines.map((l) => (
                <span key={l.id}>
                  <span className="swatch" style={{ background: l.color }} /> {l.label}
                </span>
              ))}
              {chart.bands.length > 0 && (
                <span>
                  <span className="swatch" style={{ background: "var(--gap-fill)" }} /> generalization gap
                </span>
              )}
            </div>
          )}
          {chart.lines.every((l) => l.x.length <= 1) ? (
            <SingleValues lines={chart.lines} xTitle={X_TITLE[settings.xMode]} />
          ) : (
            <LineChart
              lines={chart.lines}
              bands={chart.bands}
              markers={markers?.[chart.title]}
              xMode={settings.xMode}
              logY={settings.logY}
              hidden={lineHidden}
              yTitle={chart.title}
              label={`${chart.title} against ${settings.xMode} for ${runs.length} run(s)`}
              onDrawn={onDrawn}
            />
          )}
        </section>
      ))}
    </div>
  );
}
