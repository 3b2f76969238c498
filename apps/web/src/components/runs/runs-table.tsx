"use client";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { useVirtualizer } from "@tanstack/react-virtual";
import { formatDurationMs, formatNumber } from "@finetrack/contracts";
import { Cell, cellText } from "./cell";
import { groupRows, type RunGroup } from "./group-rows";
import { compareCells, type ColumnSpec } from "./run-columns";
import { toggled } from "../../lib/toggled";

const ROW_HEIGHT = 30;
const SELECT_WIDTH = 36;

type Item = { type: "group"; group: RunGroup; open: boolean } | { type: "row"; index: number; depth: number; children: number };

/**
 * Rows in display order with derived runs (compression children) right under their parent, which
 * keeps its place in the sort; a child whose parent is not shown stays where it sorted.
 */
export function nestDerived(order: number[], ids: string[], parentOf: (string | null)[], collapsed: ReadonlySet<string>): { index: number; depth: number; children: number }[] {
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const shown = new Set(order);
  const children = new Map<number, number[]>();
  const nested = new Set<number>();
  for (const i of order) {
    const p = parentOf[i] ? indexOf.get(parentOf[i]!) : undefined;
    if (p === undefined || p === i || !shown.has(p)) continue;
    let list = children.get(p);
    if (!list) children.set(p, (list = []));
    list.push(i);
    nested.add(i);
  }
  const out: { index: number; depth: number; children: number }[] = [];
  const visit = (i: number, depth: number) => {
    const kids = children.get(i) ?? [];
    out.push({ index: i, depth, children: kids.length });
    // Depth is bounded: a parent chain that loops back is shown once.
    if (!collapsed.has(ids[i]) && depth < 8) for (const k of kids) visit(k, depth + 1);
  };
  for (const i of order) if (!nested.has(i)) visit(i, 0);
  return out;
}

export interface RunsTableProps {
  project: string;
  ids: string[];
  /** Parent run id of each run (null for a top-level run). */
  parentOf: (string | null)[];
  names: string[];
  columns: ColumnSpec[];
  groupBy: ColumnSpec | null;
  sort: { field: string; direction: "asc" | "desc" } | null;
  onSort: (sort: { field: string; direction: "asc" | "desc" } | null) => void;
  selected: ReadonlySet<string>;
  onToggle: (ids: string[], on: boolean) => void;
  /** Receives the displayed row order (after sorting) so exports match the screen. */
  orderRef: { current: number[] };
}

/** A name several shown runs share gets the start of its run id, so the rows can be told apart. */
function nameSuffixes(names: string[], ids: string[]): (string | null)[] {
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => ((count.get(n) ?? 0) > 1 ? ids[i].slice(0, 8) : null));
}

export function RunsTable({ project, ids, parentOf, names, columns, groupBy, sort, onSort, selected, onToggle, orderRef }: RunsTableProps) {
  const router = useRouter();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const suffixes = useMemo(() => nameSuffixes(names, ids), [names, ids]);
  const sortColumn = (sort && columns.find((c) => c.id === sort.field)) || null;
  const sortDesc = sort?.direction === "desc";
  // Row indices in display order: a plain index sort (stable, ties keep the newest first), no
  // row objects per run. Descending reverses the comparison, so missing values come first there.
  const order = useMemo(() => {
    const idx = Array.from(ids, (_, i) => i);
    if (!sortColumn) return idx;
    const keys = idx.map((i) => sortColumn.get(i));
    const sign = sortDesc ? -1 : 1;
    return idx.sort((a, b) => sign * compareCells(keys[a], keys[b]) || a - b);
  }, [ids, sortColumn, sortDesc]);
  orderRef.current = order;

  const numericCols = useMemo(() => columns.filter((c) => c.kind === "number" || c.kind === "duration"), [columns]);
  const items: Item[] = useMemo(() => {
    if (!groupBy) return nestDerived(order, ids, parentOf, collapsed).map((r) => ({ type: "row", ...r }));
    const out: Item[] = [];
    for (const group of groupRows(order, groupBy, numericCols)) {
      const open = !closed.has(group.key);
      out.push({ type: "group", group, open });
      if (open) for (const index of group.indices) out.push({ type: "row", index, depth: 0, children: 0 });
    }
    return out;
  }, [order, groupBy, numericCols, closed, ids, parentOf, collapsed]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // A few rows past each edge: enough for smooth scrolling, few enough that the first draw stays small.
    overscan: 4,
  });
  const totalWidth = SELECT_WIDTH + columns.reduce((a, c) => a + c.width, 0);

  const headerClick = (id: string) => {
    if (sort?.field !== id) onSort({ field: id, direction: "asc" });
    else if (sort.direction === "asc") onSort({ field: id, direction: "desc" });
    else onSort(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!items.length) return;
    let next = active;
    if (e.key === "ArrowDown") next = Math.min(items.length - 1, active + 1);
    else if (e.key === "ArrowUp") next = Math.max(0, active - 1);
    else if (e.key === "PageDown") next = Math.min(items.length - 1, active + 20);
    else if (e.key === "PageUp") next = Math.max(0, active - 20);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else if (e.key === " " || e.key === "Enter") {
      const item = items[active];
      e.preventDefault();
      if (item.type === "group") toggleGroup(item.group.key);
      else if (e.key === " ") onToggle([ids[item.index]], !selected.has(ids[item.index]));
      else router.push(`/p/${project}/runs/${encodeURIComponent(ids[item.index])}`);
      return;
    } else return;
    e.preventDefault();
    setActive(next);
    virtualizer.scrollToIndex(next);
  };

  const toggleChildren = (id: string) => setCollapsed((prev) => toggled(prev, id));
  const toggleGroup = (key: string) => setClosed((prev) => toggled(prev, key));

  const allShownSelected = order.length > 0 && order.every((i) => selected.has(ids[i]));

  return (
    <div
      ref={scrollRef}
      className="rt-wrap"
      role="grid"
      aria-label="Runs"
      aria-rowcount={items.length + 1}
      aria-activedescendant={items.length ? `rt-row-${active}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="runs-table"
      data-row-count={order.length}
    >
      <div className="rt" style={{ width: totalWidth }}>
        <div className="rt-head" role="row" aria-rowindex={1}>
          <div className="rt-cell pinned" style={{ width: SELECT_WIDTH, left: 0 }} role="columnheader">
            <input
              type="checkbox"
              aria-label="Select all shown runs"
              checked={allShownSelected}
              onChange={(e) => onToggle(order.map((i) => ids[i]), e.target.checked)}
            />
          </div>
          {columns.map((c) => {
            const dir = sort?.field === c.id ? sort.direction : null;
            return (
              <div
                key={c.id}
                className={`rt-cell${c.kind === "number" || c.kind === "duration" ? " num" : ""}${c.kind === "name" ? " pinned" : ""}`}
                style={{ width: c.width, left: c.kind === "name" ? SELECT_WIDTH : undefined }}
                role="columnheader"
                aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}
                title={c.id}
              >
                <button type="button" onClick={() => headerClick(c.id)} data-column={c.id}>
                  {c.label} {dir === "asc" ? "▲" : dir === "desc" ? "▼" : ""}
                </button>
              </div>
            );
          })}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width: totalWidth };
            const isActive = v.index === active;
            if (item.type === "group") {
              const g = item.group;
              return (
                <div
                  key={`g-${g.key}`}
                  id={`rt-row-${v.index}`}
                  className="rt-row group-row"
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-expanded={item.open}
                  style={{ ...style, outline: isActive ? "2px solid var(--focus)" : undefined }}
                  onClick={() => toggleGroup(g.key)}
                  data-testid="group-row"
                >
                  <div className="rt-cell pinned" style={{ width: SELECT_WIDTH, left: 0 }}>
                    {item.open ? "▾" : "▸"}
                  </div>
                  {columns.map((c) => {
                    const s = g.stats[c.id];
                    const text =
                      c.id === groupBy?.id || (c.kind === "name" && groupBy === null)
                        ? ""
                        : s
                          ? c.kind === "duration"
                            ? `${formatDurationMs(s.mean * 1000)} ± ${formatDurationMs(s.std * 1000)}`
                            : `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`
                          : "";
                    return (
                      <div
                        key={c.id}
                        className={`rt-cell${s ? " num" : ""}${c.kind === "name" ? " pinned" : ""}`}
                        style={{ width: c.width, left: c.kind === "name" ? SELECT_WIDTH : undefined }}
                        role="gridcell"
                        data-column={c.id}
                        title={s ? `N=${s.n}` : c.kind === "name" ? `${groupBy?.label}: ${g.key}` : undefined}
                      >
                        {c.kind === "name" ? `${groupBy?.label}: ${g.key} (N=${g.indices.length})` : text}
                      </div>
                    );
                  })}
                </div>
              );
            }
            const id = ids[item.index];
            const isSelected = selected.has(id);
            return (
              <div
                key={id}
                id={`rt-row-${v.index}`}
                className="rt-row"
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                data-run-id={id}
                data-depth={item.depth}
                style={{ ...style, outline: isActive ? "2px solid var(--focus)" : undefined, outlineOffset: -2 }}
                onClick={() => setActive(v.index)}
              >
                <div className="rt-cell pinned" style={{ width: SELECT_WIDTH, left: 0 }} role="gridcell">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select run ${id}`}
                    checked={isSelected}
                    onChange={(e) => onToggle([id], e.target.checked)}
                  />
                </div>
                {columns.map((c) => {
                  const value = c.get(item.index);
                  const isName = c.kind === "name";
                  return (
                    <div
                      key={c.id}
                      className={`rt-cell${c.kind === "number" || c.kind === "duration" ? " num" : ""}${isName ? " pinned" : ""}`}
                      style={{ width: c.width, left: isName ? SELECT_WIDTH : undefined, paddingLeft: isName ? 8 + 16 * item.depth : undefined }}
                      role="gridcell"
                      data-column={c.id}
                      // The full value on hover: cells cut off at the column width (hashes, tags, dates).
                      title={isName ? `${String(value)}${suffixes[item.index] ? ` (${id})` : ""}` : c.kind === "date" && typeof value === "number" ? new Date(value).toISOString() : cellText(c, value) || undefined}
                    >
                      {isName && item.children > 0 && (
                        <button
                          type="button"
                          className="rt-expander"
                          tabIndex={-1}
                          aria-expanded={!collapsed.has(id)}
                          aria-label={`${collapsed.has(id) ? "Show" : "Hide"} ${item.children} derived run(s)`}
                          onClick={(e) => {
                            e.stopPropagation();
                            toggleChildren(id);
                          }}
                          data-testid="derived-toggle"
                        >
                          {collapsed.has(id) ? "▸" : "▾"} {item.children}
                        </button>
                      )}
                      {isName && item.depth > 0 && <span className="muted" aria-hidden>↳ </span>}
                      <Cell col={c} value={value} href={`/p/${project}/runs/${encodeURIComponent(id)}`} />
                      {isName && suffixes[item.index] && (
                        <span className="muted mono" data-testid="name-suffix">
                          {" "}
                          · {suffixes[item.index]}
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
