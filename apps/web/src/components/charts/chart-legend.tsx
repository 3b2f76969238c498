"use client";
import { memo, useState } from "react";

export interface LegendItem {
  id: string;
  label: string;
  color: string;
}

/** A legend that stays usable at 100 series: filterable, scrollable, each entry a toggle button. Memoized: the curves arriving do not re-render its 100 entries. */
export const ChartLegend = memo(function ChartLegend({
  items,
  hidden,
  onToggle,
  onShowOnly,
}: {
  items: LegendItem[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onShowOnly: (ids: string[] | null) => void;
}) {
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const shown = q ? items.filter((i) => i.label.toLowerCase().includes(q)) : items;
  return (
    <div>
      {items.length > 8 && (
        <div className="row">
          <input
            type="search"
            placeholder={`Filter ${items.length} series`}
            aria-label="Filter legend"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="button" onClick={() => onShowOnly(shown.map((i) => i.id))}>
            Show only these
          </button>
          <button type="button" onClick={() => onShowOnly(null)}>
            Show all
          </button>
        </div>
      )}
      <div className="legend" role="list" aria-label="Legend">
        {shown.map((item) => (
          <span role="listitem" key={item.id}>
            <button type="button" aria-pressed={!hidden.has(item.id)} onClick={() => onToggle(item.id)} title={item.label}>
              <span className="swatch" style={{ background: item.color }} />
              {item.label}
            </button>
          </span>
        ))}
      </div>
    </div>
  );
});
