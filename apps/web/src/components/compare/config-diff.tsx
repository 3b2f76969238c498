"use client";
import { useMemo, useState } from "react";
import { flattenForDisplay } from "@/lib/flatten";
import { formatNumber } from "@/lib/format";

/** Numbers at 5 significant digits for reading; the comparison itself uses the full text. */
function display(text: string | undefined) {
  if (text === undefined) return <span className="muted">—</span>;
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) && /^-?[\d.]+(e[-+]?\d+)?$/i.test(text) ? formatNumber(n) : text;
}

export interface DiffRun {
  id: string;
  name: string;
  values: Record<string, unknown>;
}

/** Keys × runs; by default only the keys whose values are not the same in every run. */
export function ConfigDiff({ runs, title }: { runs: DiffRun[]; title: string }) {
  const [showAll, setShowAll] = useState(false);
  const { keys, flat, differing } = useMemo(() => {
    const flat = runs.map((r) => flattenForDisplay(r.values));
    const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
    const differing = new Set(keys.filter((k) => new Set(flat.map((f) => f[k] ?? "\u0000missing")).size > 1));
    return { keys, flat, differing };
  }, [runs]);
  const shown = showAll ? keys : keys.filter((k) => differing.has(k));
  return (
    <section className="panel stack" aria-label={title} data-testid="config-diff">
      <div className="row">
        <h2 style={{ margin: 0 }}>{title}</h2>
        <span className="muted">
          {differing.size} of {keys.length} keys differ
        </span>
        <span className="spacer" />
        <label>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all keys
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted">{keys.length ? "Every key has the same value in all runs." : "No keys."}</p>
      ) : (
        <div style={{ overflow: "auto", maxHeight: 480 }}>
          <table className="simple">
            <thead>
              <tr>
                <th>Key</th>
                {runs.map((r) => (
                  <th key={r.id} title={r.id}>
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
                      {display(f[k])}
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
}
