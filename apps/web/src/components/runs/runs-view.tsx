"use client";
import { useMemo, useRef, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { readTableView, writeTableView, type TableView } from "@/lib/view-state";
import { useUrlState } from "@/lib/use-url-state";
import { downloadText, toCsv } from "@/lib/csv";
import { Empty, ErrorState, Loading } from "../states";
import { buildColumns } from "./run-columns";
import { runsTableInput } from "./table-input";
import { RunsTable } from "./runs-table";
import { FilterBuilder } from "./filter-builder";
import { filterSuggestions } from "./filter-suggestions";
import { ColumnPicker } from "./column-picker";
import { cellText } from "./cell";
import { RunActions, type SelectedRun } from "./run-actions";

const LIVE_POLL_MS = 2_000;

export function RunsView({ project }: { project: string }) {
  const trpc = useTRPC();
  const [view, setView] = useUrlState<TableView>(readTableView, writeTableView);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const orderRef = useRef<number[]>([]);
  const query = useQuery({
    ...trpc.analysis.runRows.queryOptions(runsTableInput(project, view)),
    placeholderData: (prev) => prev,
    refetchInterval: (q) => (q.state.data?.status.includes("running") ? LIVE_POLL_MS : false),
  });
  const rows = query.data;
  const allColumns = useMemo(() => (rows ? buildColumns(rows) : []), [rows]);
  // Until the user picks columns, the server's defaults for these runs.
  const visibleIds = useMemo(() => view.columns ?? rows?.defaultColumns ?? [], [rows, view.columns]);
  const columns = useMemo(() => {
    const byId = new Map(allColumns.map((c) => [c.id, c]));
    // The name comes first, where it is pinned while the table scrolls sideways.
    const ordered = ["name", ...visibleIds.filter((id) => id !== "name")];
    return ordered.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }, [allColumns, visibleIds]);
  const groupBy = allColumns.find((c) => c.id === view.group) ?? null;

  const selectedRuns: SelectedRun[] = useMemo(() => {
    if (!rows || !selected.size) return [];
    const out: SelectedRun[] = [];
    rows.id.forEach((id, i) => selected.has(id) && out.push({ id, name: rows.name[i], tags: rows.tags[i] }));
    return out;
  }, [rows, selected]);

  const suggestions = (field: string) => filterSuggestions(rows, allColumns, field);

  const exportCsv = () => {
    if (!rows) return;
    const header = ["id", ...columns.map((c) => c.id)];
    const body = orderRef.current.map((i) => [rows.id[i], ...columns.map((c) => {
      const v = c.get(i);
      // Dates as ISO 8601 (UTC), never the browser's locale text, so any tool reads them back.
      if (c.kind === "date") return typeof v === "number" ? new Date(v).toISOString() : "";
      return c.kind === "number" || c.kind === "duration" ? v : cellText(c, v);
    })]);
    downloadText(`${project}-runs.csv`, toCsv(header, body));
  };

  const compareHref = `/p/${project}/compare?runs=${[...selected].map(encodeURIComponent).join(",")}`;
  const impactHref = `/p/${project}/impact${writeTableView({ ...view, sort: null, group: null, columns: null })}`;

  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Runs</h1>
        {rows && (
          <span className="muted" data-testid="run-count">
            {rows.count.toLocaleString()} runs{rows.truncated ? " (first ones only — narrow the filter)" : ""}
          </span>
        )}
        {query.isFetching && <span className="muted" aria-live="polite">updating…</span>}
        <span className="spacer" />
        {/* No prefetch: rendering those pages on the server would compete with this page's own data request. */}
        <Link className={`button${selected.size >= 2 ? " primary" : ""}`} href={compareHref} prefetch={false} aria-disabled={selected.size < 2} onClick={(e) => selected.size < 2 && e.preventDefault()} data-testid="compare-button">
          Compare {selected.size ? `(${selected.size})` : ""}
        </Link>
        {selected.size > 0 && (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
        <Link className="button" href={impactHref} prefetch={false}>
          Factor impact of these runs
        </Link>
      </div>
      <RunActions project={project} runs={selectedRuns} onDone={() => setSelected(new Set())} />
      {/* Filters, columns and export need runs to work on: not shown while signed out or loading. */}
      {rows && (
        <div className="row" data-testid="runs-toolbar">
          <FilterBuilder filter={view.filter} onChange={(filter) => setView({ ...view, filter })} columns={allColumns} suggestions={suggestions} />
          <span className="spacer" />
          <label>
            Group by{" "}
            <select value={view.group ?? ""} onChange={(e) => setView({ ...view, group: e.target.value || null })} aria-label="Group by">
              <option value="">(none)</option>
              {allColumns.filter((c) => c.groupable).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id}
                </option>
              ))}
            </select>
          </label>
          <ColumnPicker all={allColumns} visible={visibleIds} onChange={(ids) => setView({ ...view, columns: ids })} />
          <button type="button" onClick={exportCsv} disabled={!rows?.count}>
            Export CSV
          </button>
        </div>
      )}
      {query.error && !rows ? (
        <ErrorState error={query.error} what="runs" />
      ) : !rows ? (
        <Loading what="runs" />
      ) : rows.count === 0 ? (
        <Empty title={Object.keys(view.filter).length ? "No run matches these filters" : "No runs yet"}>
          {Object.keys(view.filter).length ? (
            "Remove a filter to see more runs."
          ) : (
            <>
              Log one with the SDK: <code>{`const run = await init({ project: "${project}" }); run.log({ "train/loss": 1.2 }, { step: 1 }); await run.finish();`}</code>
            </>
          )}
        </Empty>
      ) : (
        <RunsTable
          project={project}
          ids={rows.id}
          parentOf={rows.parentRunId}
          names={rows.name}
          columns={columns}
          groupBy={groupBy}
          sort={view.sort}
          onSort={(sort) => setView({ ...view, sort })}
          selected={selected}
          onToggle={(ids, on) =>
            setSelected((prev) => {
              const s = new Set(prev);
              for (const id of ids) on ? s.add(id) : s.delete(id);
              return s;
            })
          }
          orderRef={orderRef}
        />
      )}
    </div>
  );
}
