"use client";
import { useState } from "react";
import type { ColumnSpec } from "./run-columns";

/** Lets the user show any column: run fields, config keys, summary keys, metric min / max / last. */
export function ColumnPicker({
  all,
  visible,
  onChange,
}: {
  all: ColumnSpec[];
  visible: string[];
  onChange: (ids: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const shown = new Set(visible);
  const q = query.trim().toLowerCase();
  const list = q ? all.filter((c) => c.id.toLowerCase().includes(q)) : all;
  return (
    <div style={{ position: "relative" }}>
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        Columns ({visible.length})
      </button>
      {open && (
        <div className="popover" style={{ top: 32, right: 0 }} role="dialog" aria-label="Choose columns" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <input type="search" placeholder="Find a column" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Find a column" autoFocus />
          <div className="stack" style={{ gap: 2, marginTop: 8 }}>
            {list.map((c) => (
              <label key={c.id} style={{ color: "var(--text)" }}>
                <input
                  type="checkbox"
                  checked={shown.has(c.id)}
                  onChange={(e) => onChange(e.target.checked ? [...visible, c.id] : visible.filter((v) => v !== c.id))}
                />{" "}
                <span className="mono">{c.id}</span>
              </label>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
