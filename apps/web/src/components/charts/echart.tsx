"use client";
import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { BarChart, BoxplotChart, HeatmapChart, ParallelChart, ScatterChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
  DataZoomComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  BoxplotChart,
  HeatmapChart,
  ParallelChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type EChartOption = echarts.EChartsCoreOption;

function themeColors() {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string) => s.getPropertyValue(n).trim();
  return { text: v("--text"), muted: v("--muted"), grid: v("--grid"), panel: v("--panel"), border: v("--border") };
}

/**
 * An ECharts canvas. Tooltips use the rich-text renderer (drawn on the canvas, never HTML), so
 * names that users wrote cannot inject markup.
 */
export function EChart({
  option,
  height = 320,
  label,
  onEvents,
}: {
  option: EChartOption;
  height?: number;
  label: string;
  onEvents?: Record<string, (params: unknown) => void>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: "canvas" });
    chartRef.current = chart;
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const c = themeColors();
    const base = {
      animation: false,
      textStyle: { color: c.text },
      tooltip: { renderMode: "richText", backgroundColor: c.panel, borderColor: c.border, textStyle: { color: c.text } },
    };
    const o = option as Record<string, unknown>;
    chart.setOption({ ...base, ...o, tooltip: { ...base.tooltip, ...((o.tooltip as object) ?? {}), renderMode: "richText" } }, true);
    const handlers = Object.entries(onEvents ?? {});
    for (const [name, fn] of handlers) chart.on(name, fn);
    return () => {
      for (const [name, fn] of handlers) chart.off(name, fn);
    };
  }, [option, onEvents]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: "100%", height }} data-testid="echart" />;
}
