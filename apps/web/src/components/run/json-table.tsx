"use client";
import { useState } from "react";
import { formatMetricValue } from "@finetrack/contracts";
import { configEntries, type ConfigEntry } from "./config-entries";

export function RowsTable({ entry }: { entry: Pick<ConfigEntry, "key" | "rows"> }) {
  const rows = entry.rows ?? [];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table className="simple" aria-label={entry.key}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {columns.map((c) => {
              const v = Object.hasOwn(r, c) ? r[c] : undefined;
              return (
                <td key={c} className={typeof v === "number" ? "num mono" : "mono"}>
                  {typeof v === "number" ? formatMetricValue(c, v) : v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Key/value view of a JSON object (config, system info, summary): nested keys dotted, sorted,
 * numbers formatted (the exact value on hover), lists of objects as tables, and options that do not
 * apply to the run's fine-tuning type folded away.
 */
export function JsonTable({ value, label, finetuningType = null }: { value: Record<string, unknown>; label: string; finetuningType?: string | null }) {
  const [showHidden, setShowHidden] = useState(false);
  const { entries, hidden } = configEntries(value, finetuningType);
  if (!entries.length && !hidden.length) return <p className="muted">No {label}.</p>;
  const shown = showHidden ? [...entries, ...hidden] : entries;
  const tables = shown.filter((e) => e.rows);
  return (
    <div className="stack">
      <dl className="kv" aria-label={label}>
        {shown.map((e) => (
          <div key={e.key} style={{ display: "contents" }} data-key={e.key}>
            <dt className="mono">{e.key}</dt>
            <dd className="mono" title={e.raw}>
              {e.text}
            </dd>
          </div>
        ))}
      </dl>
      {tables.map((e) => (
        <div key={e.key} style={{ overflowX: "auto" }}>
          <h3 className="mono" style={{ fontSize: 13, margin: "4px 0" }}>
            {e.key}
          </h3>
          <RowsTable entry={e} />
        </div>
      ))}
      {hidden.length > 0 && (
        <button type="button" onClick={() => setShowHidden(!showHidden)} data-testid="inapplicable-toggle">
          {showHidden ? "Hide" : "Show"} {hidden.length} option{hidden.length === 1 ? "" : "s"} that do not apply to {String(value.finetuning_type ?? finetuningType)}
        </button>
      )}
    </div>
  );
}
