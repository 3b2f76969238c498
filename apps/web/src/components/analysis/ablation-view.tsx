"use client";
import { LabeledSelect } from "../labeled-select";
import { useMemo } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { useUrlState } from "@/lib/use-url-state";
import { formatNumber } from "@finetrack/contracts";
import type { RouterOutputs } from "@/trpc/types";
import { Empty, ErrorState, Loading } from "../states";
import { FilterBuilder } from "../runs/filter-builder";
import { filterSuggestions } from "../runs/filter-suggestions";
import { buildColumns } from "../runs/run-columns";
import { readAnalysisView, writeAnalysisView, type AnalysisView } from "./analysis-view-state";
import { defaultTarget, factorOptions, guessDirection, targetOptions } from "./field-options";
import { narrowFilter, runsHref } from "./filter-links";

type Cell = RouterOutputs["analysis"]["ablation"]["cells"][number];

/** Green (best) to red (worst) by rank of the cell mean in the target's direction. */
function cellColor(t: number): string {
  const hue = 130 * (1 - t);
  return `hsl(${hue.toFixed(0)} 55% 45% / 0.35)`;
}

/** The cell against the baseline in a few characters; the full sentence is its title. */
function versus(cell: Cell): string {
  const c = cell.versusBaseline;
  if (!c) return "";
  if (c.a.n < 2 || c.b.n < 2) return "vs baseline: one seed";
  const p = c.welch.pValue < 0.001 ? "p<0.001" : `p=${formatNumber(Number(c.welch.pValue.toPrecision(2)))}`;
  const half = (c.ci95[1] - c.ci95[0]) / 2;
  const two = (x: number) => formatNumber(Number(x.toPrecision(2)));
  const diff = `${c.difference > 0 ? "+" : "−"}${two(Math.abs(c.difference))} ± ${two(half)}`;
  return c.winner ? `${c.winner === "a" ? "better" : "worse"}: ${diff} (${p})` : `≈ baseline (${p})`;
}

export function AblationView({ project }: { project: string }) {
  const trpc = useTRPC();
  const [view, setView] = useUrlState<AnalysisView>(readAnalysisView, writeAnalysisView);
  const filter = view.filter;
  const rowsQuery = useQuery(trpc.analysis.runRows.queryOptions({ project, filter }));
  const rowsData = rowsQuery.data;
  const targets = useMemo(() => targetOptions(rowsData), [rowsData]);
  const factors = useMemo(() => factorOptions(rowsData), [rowsData]);
  const columnsForFilter = useMemo(() => (rowsData ? buildColumns(rowsData) : []), [rowsData]);
  const target = view.target ?? defaultTarget(targets);
  const direction = view.direction ?? guessDirection(target);
  const rows = view.rows ?? "baseModel";
  const columns = view.columns ?? "method";
  const split = view.split ?? "";
  const set = (patch: Partial<AnalysisView>) => setView({ ...view, ...patch });
  const matrixQuery = useQuery({
    ...trpc.analysis.ablation.queryOptions({ project, filter, target, direction, rows, columns, split: split || undefined, baseline: view.baseline ?? undefined, includeDerived: view.derived || undefined }),
    enabled: !!target,
  });
  const m = matrixQuery.data;
  const rank = useMemo(() => {
    if (!m) return new Map<string, number>();
    const means = m.cells.map((c) => c.stats.mean).filter(Number.isFinite).sort((a, b) => (direction === "minimize" ? a - b : b - a));
    return new Map(m.cells.map((c) => [`${c.row}\u0000${c.column}\u0000${c.split}`, means.length > 1 ? means.indexOf(c.stats.mean) / (means.length - 1) : 0]));
  }, [m, direction]);
  const baselineOptions = m ? m.rows.levels.flatMap((r) => m.columns.levels.map((c) => `${r}|${c}`)) : [];

  const select = (label: string, value: string, options: string[], onChange: (v: string) => void, allowNone = false) => (
    <LabeledSelect label={label} value={value} options={options} onChange={onChange} allowNone={allowNone} />
  );

  return (
    <div className="stack" data-testid="ablation-view">
      <h1>Ablation matrix</h1>
      <div className="panel">
        <FilterBuilder filter={filter} onChange={(f) => set({ filter: f })} columns={columnsForFilter} suggestions={(field) => filterSuggestions(rowsData, columnsForFilter, field)} />
      </div>
      <div className="row panel">
        {select("Target", target, targets, (v) => set({ target: v, direction: null }))}
        {select("Direction", direction, ["minimize", "maximize"], (v) => set({ direction: v as "minimize" | "maximize" }))}
        {select("Rows", rows, factors, (v) => set({ rows: v, baseline: null }))}
        {select("Columns", columns, factors, (v) => set({ columns: v, baseline: null }))}
        {select("Split by", split, factors, (v) => set({ split: v || null }), true)}
        {select("Baseline", view.baseline ? `${view.baseline.row}|${view.baseline.column}` : "", baselineOptions, (v) => {
          const [row, column] = v.split("|");
          set({ baseline: v ? { row, column } : null });
        }, true)}
      </div>
      {rowsQuery.error ? (
        <ErrorState error={rowsQuery.error} what="runs" />
      ) : rowsData && !targets.length ? (
        <Empty title="No numeric target yet">Log metrics (e.g. val/loss) or a summary value, then come back.</Empty>
      ) : matrixQuery.error ? (
        <ErrorState error={matrixQuery.error} what="the ablation matrix" />
      ) : !m ? (
        <Loading what="the ablation matrix" />
      ) : m.cells.length === 0 ? (
        <Empty title={`No run has ${target}`}>Pick another target or wait for runs to log it.</Empty>
      ) : (
        (m.split?.levels.length ? m.split.levels : [null]).map((sp) => (
          <section key={sp ?? "all"} className="panel" aria-label={sp ? `${m.split!.factor} = ${sp}` : "Ablation grid"}>
            {sp && <h2 style={{ marginTop: 0 }}>{`${m.split!.factor} = ${sp}`}</h2>}
            <table className="simple" data-testid="ablation-grid">
              <thead>
                <tr>
                  <th>
                    {m.rows.factor} \ {m.columns.factor}
                  </th>
                  {m.columns.levels.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.rows.levels.map((r) => (
                  <tr key={r}>
                    <th>{r}</th>
                    {m.columns.levels.map((c) => {
                      const cell = m.cells.find((x) => x.row === r && x.column === c && x.split === sp);
                      if (!cell) return <td key={c} className="muted">—</td>;
                      let f = narrowFilter(filter, m.rows.factor, r);
                      f = f && narrowFilter(f, m.columns.factor, c);
                      if (f && sp !== null && m.split) f = narrowFilter(f, m.split.factor, sp);
                      const text = `${formatNumber(cell.stats.mean)} ± ${Number.isFinite(cell.stats.std) ? formatNumber(cell.stats.std) : "—"} (N=${cell.stats.n})`;
                      const isBase = m.baseline?.row === r && m.baseline?.column === c;
                      return (
                        <td key={c} className="heat-cell" style={{ background: cellColor(rank.get(`${r}\u0000${c}\u0000${sp}`) ?? 0), outline: isBase ? "2px solid var(--accent)" : undefined }} data-cell={`${r}|${c}`}>
                          {f ? <Link href={runsHref(project, f)}>{text}</Link> : text}
                          <div className="muted" style={{ fontSize: 12 }}>
                            {cell.seeds > 0 ? `${cell.seeds} seed${cell.seeds === 1 ? "" : "s"}` : ""}
                            {cell.mixes.length ? ` · also varies: ${cell.mixes.join(", ")}` : ""}
                            {isBase ? " · baseline" : ""}
                          </div>
                          {cell.versusBaseline && (
                            <div style={{ fontSize: 12 }} title={cell.versusBaseline.text} data-testid="vs-baseline" data-winner={cell.versusBaseline.winner ?? "none"}>
                              {versus(cell)}
                            </div>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
      {m && m.skipped > 0 && <p className="muted">{m.skipped} runs without a value of {target} are not counted.</p>}
      {m && m.scope.derivedExcluded > 0 && (
        <p className="muted">
          {m.scope.derivedExcluded} derived runs (compression children) are left out.{" "}
          <label>
            <input type="checkbox" checked={view.derived} onChange={(e) => set({ derived: e.target.checked })} /> include them
          </label>
        </p>
      )}
    </div>
  );
}
