import { formatMetricValue } from "@finetrack/contracts";
import type { ChartLine } from "./chart-data";

/**
 * A metric logged once per run (model size, a post-training evaluation) has no curve to draw:
 * show its value, with a dot in the series color, and where it was logged.
 */
export function SingleValues({ lines, xTitle }: { lines: ChartLine[]; xTitle: string }) {
  return (
    <ul className="single-values" data-testid="single-values">
      {lines.map((l) => {
        const value = l.y[0];
        return (
          <li key={l.id} data-line={l.id}>
            <svg width="10" height="10" aria-hidden>
              <circle cx="5" cy="5" r="4" fill={l.color} />
            </svg>
            <span className="single-value mono" data-testid="single-value">
              {value === null || value === undefined ? "no finite value" : formatMetricValue(l.label, value)}
            </span>
            <span className="muted">
              {l.label}
              {l.x.length ? ` · ${xTitle} ${l.x[0].toLocaleString("en-US", { maximumFractionDigits: 3 })}` : ""}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
