"use client";
import { useId } from "react";
import { X_MODES, type XMode } from "./chart-data";

export interface ChartSettings {
  smoothing: number;
  xMode: XMode;
  logY: boolean;
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = { smoothing: 0, xMode: "step", logY: false };

export function ChartControls({ value, onChange }: { value: ChartSettings; onChange: (v: ChartSettings) => void }) {
  const id = useId();
  return (
    <div className="chart-controls" role="group" aria-label="Chart controls">
      <label htmlFor={`${id}-smooth`}>Smoothing (EMA)</label>
      <input
        id={`${id}-smooth`}
        type="range"
        min={0}
        max={0.99}
        step={0.01}
        value={value.smoothing}
        onChange={(e) => onChange({ ...value, smoothing: Number(e.target.value) })}
      />
      <output htmlFor={`${id}-smooth`} className="mono">
        {value.smoothing.toFixed(2)}
      </output>
      <label htmlFor={`${id}-x`}>x-axis</label>
      <select id={`${id}-x`} value={value.xMode} onChange={(e) => onChange({ ...value, xMode: e.target.value as XMode })}>
        {X_MODES.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" checked={value.logY} onChange={(e) => onChange({ ...value, logY: e.target.checked })} /> Log scale
      </label>
      <span className="muted">Drag to zoom, double-click to reset.</span>
    </div>
  );
}
