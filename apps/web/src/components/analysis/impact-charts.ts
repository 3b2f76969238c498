import { mean, quantileSorted } from "@finetrack/analysis";
import type { EChartOption } from "../charts/echart";
import { formatNumber } from "@finetrack/contracts";

export type FactorValue = string | number | boolean | null | undefined;
export interface ImpactRun {
  id: string;
  name: string;
  target: number;
  values: Record<string, FactorValue>;
}

const label = (v: FactorValue) => (v === null || v === undefined ? "(missing)" : String(v));

/** Box per level with every run drawn as a jittered point over it (a strip plot). */
export function boxStripOption(runs: ImpactRun[], factor: string, target: string): EChartOption {
  const levels = [...new Set(runs.map((r) => label(r.values[factor])))].sort();
  const boxes = levels.map((lv) => {
    const v = runs.filter((r) => label(r.values[factor]) === lv).map((r) => r.target).sort((a, b) => a - b);
    return [v[0], quantileSorted(v, 0.25), quantileSorted(v, 0.5), quantileSorted(v, 0.75), v[v.length - 1]];
  });
  const strip = runs.map((r, i) => [levels.indexOf(label(r.values[factor])) + (((i * 7919) % 100) / 100 - 0.5) * 0.3, r.target, r.name]);
  return {
    grid: { left: 70, right: 20, top: 20, bottom: 50 },
    tooltip: { trigger: "item" },
    xAxis: [
      { type: "category", data: levels, name: factor, nameLocation: "middle", nameGap: 30 },
      { type: "value", show: false, min: -0.5, max: levels.length - 0.5 },
    ],
    yAxis: { type: "value", name: target, scale: true },
    series: [
      { type: "boxplot", data: boxes, itemStyle: { color: "transparent" } },
      { type: "scatter", xAxisIndex: 1, data: strip, symbolSize: 7, itemStyle: { opacity: 0.7 } },
    ],
  };
}

/** Mean target per cell of two factors (e.g. base model × method). */
export function heatmapOption(runs: ImpactRun[], a: string, b: string, target: string): EChartOption {
  const xs = [...new Set(runs.map((r) => label(r.values[a])))].sort();
  const ys = [...new Set(runs.map((r) => label(r.values[b])))].sort();
  const cells: [number, number, number, number][] = [];
  for (const [i, x] of xs.entries()) {
    for (const [j, y] of ys.entries()) {
      const v = runs.filter((r) => label(r.values[a]) === x && label(r.values[b]) === y).map((r) => r.target);
      if (v.length) cells.push([i, j, mean(v), v.length]);
    }
  }
  const values = cells.map((c) => c[2]);
  // A legend from a value to itself says nothing: widen a flat range so the colours still read.
  const lo = Math.min(...values);
  const hi = Math.max(...values) > lo ? Math.max(...values) : lo + Math.abs(lo || 1) * 0.01;
  return {
    grid: { left: 110, right: 90, top: 20, bottom: 60 },
    tooltip: { trigger: "item" },
    xAxis: { type: "category", data: xs, name: a, nameLocation: "middle", nameGap: 35 },
    yAxis: { type: "category", data: ys, name: b },
    visualMap: { dimension: 2, min: lo, max: hi, calculable: true, formatter: (v: number) => formatNumber(v), orient: "vertical", right: 0, top: "middle", inRange: { color: ["#1f8a4c", "#f2d06b", "#d64541"] } },
    series: [{ type: "heatmap", name: `mean ${target}`, data: cells, label: { show: true, formatter: (p: { value: number[] }) => `${formatNumber(p.value[2])}\nN=${p.value[3]}` } }],
  };
}

/** One axis per given factor (the page passes the most important few) plus the target; brushing an axis keeps only the runs inside the range. */
export function parallelOption(runs: ImpactRun[], factors: string[], target: string): EChartOption {
  const axes = [...factors, target].map((name, dim) => {
    if (name === target) return { dim, name };
    const numeric = runs.every((r) => typeof r.values[name] === "number" || r.values[name] == null);
    return numeric ? { dim, name, scale: true } : { dim, name, type: "category", data: [...new Set(runs.map((r) => label(r.values[name])))].sort() };
  });
  const data = runs.map((r) => ({
    name: r.name,
    value: [...factors.map((f) => (typeof r.values[f] === "number" ? r.values[f] : label(r.values[f]))), r.target],
  }));
  return {
    parallelAxis: axes,
    parallel: { left: 60, right: 90, top: 40, bottom: 30 },
    tooltip: { trigger: "item" },
    visualMap: { show: true, dimension: factors.length, min: Math.min(...runs.map((r) => r.target)), max: Math.max(...runs.map((r) => r.target)), formatter: (v: number) => formatNumber(v), inRange: { color: ["#1f8a4c", "#f2d06b", "#d64541"] }, right: 0, top: "middle" },
    series: [{ type: "parallel", lineStyle: { width: 1.2, opacity: 0.6 }, inactiveOpacity: 0.05, activeOpacity: 1, data }],
  };
}

/** The target against one factor, a point per run. */
export function scatterOption(runs: ImpactRun[], factor: string, target: string, logX: boolean): EChartOption {
  const numeric = runs.every((r) => typeof r.values[factor] === "number" || r.values[factor] == null);
  const levels = numeric ? [] : [...new Set(runs.map((r) => label(r.values[factor])))].sort();
  return {
    grid: { left: 70, right: 20, top: 20, bottom: 50 },
    tooltip: { trigger: "item" },
    xAxis: numeric ? { type: logX ? "log" : "value", name: factor, nameLocation: "middle", nameGap: 30, scale: true } : { type: "category", data: levels, name: factor, nameLocation: "middle", nameGap: 30 },
    yAxis: { type: "value", name: target, scale: true },
    series: [
      {
        type: "scatter",
        symbolSize: 8,
        data: runs.filter((r) => !numeric || typeof r.values[factor] === "number").map((r) => ({ name: r.name, value: [numeric ? r.values[factor] : label(r.values[factor]), r.target] })),
      },
    ],
  };
}
