"use client";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { formatDurationMs, formatNumber } from "@finetrack/contracts";
import type { ChartLine, XMode } from "./chart-data";
import { placeMarkerLabels, RELATIVE_INCRS, safeRange, STEP_INCRS, X_TITLE } from "./chart-layout";

export interface ChartBand {
  /** Ids of the two lines whose gap is shaded (e.g. validation and training loss). */
  a: string;
  b: string;
}

export interface ChartMarker {
  x: number;
  label: string;
  color: string;
}

export interface LineChartProps {
  lines: ChartLine[];
  xMode: XMode;
  logY?: boolean;
  bands?: ChartBand[];
  markers?: ChartMarker[];
  hidden?: ReadonlySet<string>;
  height?: number;
  /** Title of the y axis (the metric); the x axis is titled by `xMode`. */
  yTitle?: string;
  /** Accessible description of what the chart shows. */
  label: string;
  onDrawn?: () => void;
}

const TOOLTIP_ROWS = 10;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function xFormatter(xMode: XMode): (v: number) => string {
  if (xMode === "relative") return (seconds) => formatDurationMs(seconds * 1000);
  if (xMode === "wall") return (v) => new Date(v * 1000).toLocaleString();
  return formatNumber;
}

/** Index of the x value nearest to `v` in an ascending array. */
function nearestIndex(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - v) <= Math.abs(xs[hi] - v) ? lo : hi;
}

/** Value of a line at x by linear interpolation (null outside its range or at a gap). */
function valueAt(line: ChartLine, v: number): number | null {
  const xs = line.x;
  if (xs.length === 0 || v < xs[0] || v > xs[xs.length - 1]) return null;
  const i = nearestIndex(xs, v);
  const j = xs[i] <= v ? Math.min(i + 1, xs.length - 1) : Math.max(i - 1, 0);
  const yi = line.y[i];
  const yj = line.y[j];
  if (yi === null || yj === null || xs[i] === xs[j]) return yi;
  return yi + ((yj - yi) * (v - xs[i])) / (xs[j] - xs[i]);
}

function drawBands(u: uPlot, lines: ChartLine[], bands: ChartBand[]) {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.fillStyle = cssVar("--gap-fill");
  for (const band of bands) {
    const a = lines.find((l) => l.id === band.a);
    const b = lines.find((l) => l.id === band.b);
    if (!a || !b) continue;
    // Shade along a's points against b interpolated there, so sparse evaluations still get a band.
    const path = new Path2D();
    const upper: [number, number][] = [];
    const lower: [number, number][] = [];
    const flush = () => {
      if (upper.length > 1) {
        path.moveTo(upper[0][0], upper[0][1]);
        for (const p of upper) path.lineTo(p[0], p[1]);
        for (let k = lower.length - 1; k >= 0; k--) path.lineTo(lower[k][0], lower[k][1]);
        path.closePath();
      }
      upper.length = 0;
      lower.length = 0;
    };
    for (let i = 0; i < a.x.length; i++) {
      const ya = a.y[i];
      const yb = valueAt(b, a.x[i]);
      if (ya === null || yb === null) {
        flush();
        continue;
      }
      const px = u.valToPos(a.x[i], "x", true);
      upper.push([px, u.valToPos(ya, "y", true)]);
      lower.push([px, u.valToPos(yb, "y", true)]);
    }
    flush();
    ctx.fill(path);
  }
  ctx.restore();
}

function drawMarkers(u: uPlot, markers: ChartMarker[]) {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.lineWidth = 1.5 * dpr;
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  const placed = placeMarkerLabels(
    markers.map((m) => ({ px: u.valToPos(m.x, "x", true), width: ctx.measureText(m.label).width })),
    { left: u.bbox.left, right: u.bbox.left + u.bbox.width, gap: 4 * dpr },
  );
  markers.forEach((m, k) => {
    const px = u.valToPos(m.x, "x", true);
    ctx.strokeStyle = m.color;
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + height);
    ctx.stroke();
    const { x, row } = placed[k];
    const y = top + (4 + 14 * row) * dpr;
    ctx.fillStyle = cssVar("--panel");
    ctx.fillRect(x - 2 * dpr, y, ctx.measureText(m.label).width + 4 * dpr, 13 * dpr);
    ctx.fillStyle = m.color;
    // Canvas text is drawn as pixels, never parsed as markup.
    ctx.fillText(m.label, x, y + 10 * dpr);
  });
  ctx.restore();
}

function fillTooltip(tip: HTMLDivElement, u: uPlot, lines: ChartLine[], hidden: ReadonlySet<string> | undefined, xMode: XMode) {
  const left = u.cursor.left ?? -1;
  const topPx = u.cursor.top ?? -1;
  if (left < 0) {
    tip.style.display = "none";
    return;
  }
  const xv = u.posToVal(left, "x");
  const yv = u.posToVal(topPx, "y");
  const rows: { line: ChartLine; value: number; x: number }[] = [];
  for (const line of lines) {
    if (hidden?.has(line.id) || line.x.length === 0) continue;
    const i = nearestIndex(line.x, xv);
    const value = line.y[i];
    if (value !== null) rows.push({ line, value, x: line.x[i] });
  }
  rows.sort((p, q) => Math.abs(p.value - yv) - Math.abs(q.value - yv));
  tip.replaceChildren();
  const head = document.createElement("div");
  head.className = "muted";
  // The header names the data point's x (step 87), not the cursor's (86.845).
  const shownX = rows.length ? rows.reduce((a, r) => (Math.abs(r.x - xv) < Math.abs(a - xv) ? r.x : a), rows[0].x) : xv;
  head.textContent = `${X_TITLE[xMode]}: ${xFormatter(xMode)(shownX)}`;
  tip.append(head);
  for (const { line, value } of rows.slice(0, TOOLTIP_ROWS)) {
    const row = document.createElement("div");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = line.color;
    // textContent: run names are user text and must stay text.
    row.append(sw, document.createTextNode(` ${line.label}: ${formatNumber(value)}`));
    tip.append(row);
  }
  if (rows.length > TOOLTIP_ROWS) {
    const more = document.createElement("div");
    more.className = "muted";
    more.textContent = `… ${rows.length - TOOLTIP_ROWS} more`;
    tip.append(more);
  }
  tip.style.display = rows.length ? "block" : "none";
  const bodyLeft = u.over.offsetLeft + left;
  tip.style.left = `${Math.min(bodyLeft + 14, u.over.offsetLeft + u.over.clientWidth - 200)}px`;
  tip.style.top = `${u.over.offsetTop + topPx + 14}px`;
}

/** True when some finite value has no finite neighbour, so no segment would show it. */
function hasIsolatedPoint(line: ChartLine): boolean {
  const y = line.y;
  for (let i = 0; i < y.length; i++) if (y[i] !== null && (i === 0 || y[i - 1] === null) && (i === y.length - 1 || y[i + 1] === null)) return true;
  return false;
}

/** Canvas line chart (uPlot, one x array per line) with gap shading, markers, zoom and a tooltip. */
export function LineChart({ lines, xMode, logY, bands, markers, hidden, height = 240, yTitle, label, onDrawn }: LineChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const hiddenRef = useRef(hidden);
  hiddenRef.current = hidden;

  useEffect(() => {
    const host = hostRef.current;
    const tip = tipRef.current;
    if (!host || !tip) return;
    const axisColor = cssVar("--muted");
    const gridColor = cssVar("--grid");
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const fmtX = xFormatter(xMode);
    const opts: uPlot.Options = {
      mode: 2,
      width: Math.max(200, host.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      scales: {
        x: { time: xMode === "wall", auto: true, range: (_u, min, max) => safeRange(min, max) },
        y: {
          distr: logY ? 3 : 1,
          auto: true,
          range: (_u, min, max) => {
            const [lo, hi] = safeRange(min, max, logY);
            return logY ? [lo, hi] : (uPlot.rangeNum(lo, hi, 0.1, true) as [number, number]);
          },
        },
      },
      axes: [
        {
          ...axis,
          incrs: xMode === "relative" ? RELATIVE_INCRS : xMode === "step" ? STEP_INCRS : undefined,
          values: xMode === "wall" ? undefined : (_u, ticks) => ticks.map(fmtX),
        },
        {
          ...axis,
          size: 60,
          values: (_u, ticks) => ticks.map((t) => formatNumber(t)),
        },
      ],
      series: [
        {},
        ...lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: l.width ?? 1.5,
          dash: l.dash,
          show: !hiddenRef.current?.has(l.id),
          facets: [
            { scale: "x", auto: true },
            { scale: "y", auto: true },
          ],
          paths: uPlot.paths.linear!(),
          // A point with no neighbour draws no line: show it as a dot.
          points: { show: hasIsolatedPoint(l), size: 7, fill: l.color },
        })) as uPlot.Series[],
      ],
      hooks: {
        drawAxes: [(u) => bands?.length && drawBands(u, lines, bands)],
        draw: [
          (u) => {
            if (markers?.length) drawMarkers(u, markers);
            // Counted so tests and the benchmark can tell when the canvas really holds the curves.
            host.dataset.drawn = String(Number(host.dataset.drawn ?? 0) + 1);
            onDrawn?.();
          },
        ],
        setCursor: [(u) => fillTooltip(tip, u, lines, hiddenRef.current, xMode)],
      },
    };
    const data = [null, ...lines.map((l) => [l.x, l.y])] as unknown as uPlot.AlignedData;
    const plot = new uPlot(opts, data, host);
    plotRef.current = plot;
    // ResizeObserver also fires once right after observe(): redraw only when the width really changed.
    let drawnWidth = opts.width;
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, host.clientWidth);
      if (width === drawnWidth) return;
      drawnWidth = width;
      plot.setSize({ width, height });
    });
    resize.observe(host);
    const onLeave = () => (tip.style.display = "none");
    plot.over.addEventListener("mouseleave", onLeave);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [lines, xMode, logY, bands, markers, height, yTitle, onDrawn]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    const changed = lines.flatMap((l, i) => (plot.series[i + 1].show !== !hidden?.has(l.id) ? [i + 1] : []));
    // batch() always redraws: with nothing to change (every new plot) it was a second full draw.
    if (changed.length === 0) return;
    plot.batch(() => {
      for (const i of changed) plot.setSeries(i, { show: !plot.series[i].show });
    });
  }, [hidden, lines]);

  return (
    <div style={{ position: "relative" }} role="img" aria-label={label} onDoubleClick={() => plotRef.current?.redraw()}>
      {yTitle && (
        <div className="axis-title y" data-testid="y-title">
          {yTitle}
        </div>
      )}
      <div ref={hostRef} data-testid="line-chart" data-lines={lines.length} data-points={lines.reduce((a, l) => a + l.x.length, 0)} />
      <div className="axis-title x" data-testid="x-title">
        {X_TITLE[xMode]}
      </div>
      <div ref={tipRef} className="chart-tooltip" style={{ display: "none" }} />
    </div>
  );
}
