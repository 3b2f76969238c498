"use client";
import { memo, useMemo, useState } from "react";
import { flattenJson, formatNumber } from "@finetrack/contracts";
import { RowsTable } from "../run/json-table";

/** A config leaf as the table shows it: text as it is, anything else as JSON. */
const displayText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** JSON text of a list or object (config values such as `layers: [{...}]`), else undefined. */
function parseJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith("[") || t.startsWith("{"))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Numbers at 5 significant digits for reading, lists of objects as a small table, lists of plain
 * values comma-separated; the comparison itself uses the full text.
 */
function display(key: string, text: string | undefined) {
  if (text === undefined) return <span className="muted">missing</span>;
  const n = Number(text);
  if (text.trim() !== "" && Number.isFinite(n) && /^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) return formatNumber(n);
  const json = parseJson(text);
  if (Array.isArray(json) && json.length > 0 && json.every(isRecord)) return <RowsTable entry={{ key, rows: json }} />;
  if (Array.isArray(json) && json.every((x) => !isRecord(x) && !Array.isArray(x))) return json.map((x) => (typeof x === "number" ? formatNumber(x) : String(x))).join(", ");
  if (isRecord(json)) return <RowsTable entry={{ key, rows: [json] }} />;
  return text;
}

export interface DiffRun {
  id: string;
  name: string;
  values: Record<string, unknown>;
}

/**
 * Which keys differ: two runs with a value each that is not the same. A key that some runs lack
 * (they ran at the default) is "missing" there, not a difference.
 */
export function classifyKeys(flat: Record<string, string>[]) {
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const differing = new Set<string>();
  const missing = new Set<string>();
  for (const k of keys) {
    const present = flat.filter((f) => Object.hasOwn(f, k)).map((f) => f[k]);
    if (new Set(present).size > 1) differing.add(k);
    if (present.length < flat.length) missing.add(k);
  }
  return { keys, differing, missing };
}

/** Keys × runs; by default only the keys whose values are not the same in every run that has them. */
export const ConfigDiff = memo(function ConfigDiff({ runs, title }: { runs: DiffRun[]; title: string }) {
  const [showAll, setShowAll] = useState(false);
  const { keys, flat, differing, missing } = useMemo(() => {
    const flat = runs.map((r) => flattenJson(r.values, { leaf: displayText }));
    return { flat, ...classifyKeys(flat) };
  }, [runs]);
  const shown = showAll ? keys : keys.filter((k) => differing.has(k));
  const onlyMissing = [...missing].filter((k) => !differing.has(k)).length;
  return (
    <section className="panel stack" aria-label={title} data-testid="config-diff">
      <div className="row">
        <h2 style={{ margin: 0 }}>{title}</h2>
        <span className="muted" data-testid="diff-count">
          {differing.size} of {keys.length} keys differ
          {onlyMissing > 0 && `, ${onlyMissing} more only missing in some runs`}
        </span>
        <span className="spacer" />
        <label>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all keys
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted">{keys.length ? "Every key has the same value in all runs that have it." : "No keys."}</p>
      ) : (
        <div className="diff-scroll" data-testid="diff-scroll">
          <table className="simple">
            <thead>
              <tr>
                <th>Key</th>
                {runs.map((r) => (
                  <th key={r.id} title={r.id} data-run-id={r.id}>
                    {r.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((k) => (
                <tr key={k} data-key={k} style={differing.has(k) ? undefined : { opacity: 0.6 }}>
                  <td className="mono">{k}</td>
                  {flat.map((f, i) => (
                    <td key={runs[i].id} className="mono">
                      {display(k, Object.hasOwn(f, k) ? f[k] : undefined)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
});
