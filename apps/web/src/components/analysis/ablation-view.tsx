"use client";
import { LabeledSelect } from "../labeled-select";
import { useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useTRPC } from "@/trpc/client";
import { readTableView } from "@/lib/view-state";
import { formatNumber } from "@/lib/format";
import { Empty, ErrorState, Loading } from "../states";
import { defaultTarget, factorOptions, guessDirection, targetOptions } from "./field-options";
import { narrowFilter, runsHref } from "./filter-links";

/** Green (best) to red (worst) by rank of the cell mean in the target's direction. */
function cellColor(t: number): string {
  const hue = 130 * (1 - t);
  return `hsl(${hue.toFixed(0)} 55% 45% / 0.35)`;
}

export function AblationView({ project }: { project: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const filter = useMemo(() => readTableView(new URLSearchParams(params.toString())).filter, [params]);
  const rowsQuery = useQuery(trpc.analysis.runRows.queryOptions({ project, filter }));
  const targets = useMemo(() => targetOptions(rowsQuery.data), [rowsQuery.data]);
  const factors = useMemo(() => factorOptions(rowsQuery.data), [rowsQuery.data]);
  const [choice, setChoice] = useState<{ target?: string; direction?: "minimize" | "maximize"; rows: string; columns: string; split: string }>({
    rows: "baseModel",
    columns: "method",
    split: "",
  });
  const target = choice.target ?? defaultTarget(targets);
  const direction = choice.direction ?? guessDirection(target);
  const matrixQuery = useQuery({
    ...trpc.analysis.ablation.queryOptions({ project, filter, target, direction, rows: choice.rows, columns: choice.columns, split: choice.split || undefined }),
    enabled: !!target,
  });
  const m = matrixQuery.data;
  const rank = useMemo(() => {
    if (!m) return new Map<string, number>();
    const means = m.cells.map((c) => c.stats.mean).filter(Number.isFinite).sort((a, b) => (direction === "minimize" ? a - b : b - a));
    return new Map(m.cells.map((c) => [`${c.row}\u0000${c.column}\u0000${c.split}`, means.length > 1 ? means.indexOf(c.stats.mean) / (means.length - 1) : 0]));
  }, [m, direction]);

  const select = (label: string, value: string, options: string[], set: (v: string) => void, allowNone = false) => (
    <LabeledSelect label={label} value={value} options={options} onChange={set} allowNone={allowNone} />
  );

  return (
    <div className="stack" data-testid="ablation-view">
      <h1>Ablation matrix</h1>
      <div className="row panel">
        {select("Target", target, targets, (v) => setChoice({ ...choice, target: v, direction: undefined }))}
        {select("Direction", direction, ["minimize", "maximize"], (v) => setChoice({ ...choice, direction: v as "minimize" | "maximize" }))}
        {select("Rows", choice.rows, factors, (v) => setChoice({ ...choice, rows: v }))}
        {select("Columns", choice.columns, factors, (v) => setChoice({ ...choice, columns: v }))}
        {select("Split by", choice.split, factors, (v) => setChoice({ ...choice, split: v }), true)}
      </div>
      {rowsQuery.error ? (
        <ErrorState error={rowsQuery.error} what="runs" />
      ) : rowsQuery.data && !targets.length ? (
        <Empty title="No numeric target yet">Log metrics (e.g. val/loss) or a summary value, then come back.</Empty>
      ) : matrixQuery.error ? (
        <ErrorState error={matrixQuery.error} what="the ablation matrix" />
      ) : !m ? (
        <Loading what="the ablation matrix" />
      ) : m.cells.length === 0 ? (
        <Empty title={`No run has ${target}`}>Pick another target or wait for runs to log it.</Empty>
      ) : (
        (m.split?.levels.length ? m.split.levels : [null]).map((split) => (
          <section key={split ?? "all"} className="panel" aria-label={split ? `${m.split!.factor} = ${split}` : "Ablation grid"}>
            {split && <h2 style={{ marginTop: 0 }}>{`${m.split!.factor} = ${split}`}</h2>}
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
                      const cell = m.cells.find((x) => x.row === r && x.column === c && x.split === split);
                      if (!cell) return <td key={c} className="muted">—</td>;
                      let f = narrowFilter(filter, m.rows.factor, r);
                      f = f && narrowFilter(f, m.columns.factor, c);
                      if (f && split !== null && m.split) f = narrowFilter(f, m.split.factor, split);
                      const text = `${formatNumber(cell.stats.mean)} ± ${Number.isFinite(cell.stats.std) ? formatNumber(cell.stats.std) : "—"} (N=${cell.stats.n})`;
                      return (
                        <td key={c} className="heat-cell" style={{ background: cellColor(rank.get(`${r}\u0000${c}\u0000${split}`) ?? 0) }} data-cell={`${r}|${c}`}>
                          {f ? <Link href={runsHref(project, f)}>{text}</Link> : text}
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
    </div>
  );
}
