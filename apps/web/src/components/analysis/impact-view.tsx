"use client";
import { LabeledSelect } from "../labeled-select";
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import type { RunFilter } from "@finetrack/contracts";
import { useTRPC } from "@/trpc/client";
import { useUrlState } from "@/lib/use-url-state";
import { EChart } from "../charts/echart";
import { Empty, ErrorState, Loading } from "../states";
import { readAnalysisView, writeAnalysisView, type AnalysisView } from "./analysis-view-state";
import { ConfoundingPanel, FactorNotes } from "./factor-notes";
import { defaultTarget, guessDirection, targetOptions } from "./field-options";
import { boxStripOption, heatmapOption, parallelOption, scatterOption } from "./impact-charts";
import { AnovaTable, ImportanceTable, MethodNotes } from "./importance-table";

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "—");
/** Parallel coordinates read up to this many factor axes; more on request. */
const DEFAULT_AXES = 8;

export function ImpactView({ project }: { project: string }) {
  const trpc = useTRPC();
  const [view, setView] = useUrlState<AnalysisView>(readAnalysisView, writeAnalysisView);
  const filter = view.filter;
  const rowsQuery = useQuery(trpc.analysis.runRows.queryOptions({ project, filter }));
  const targets = useMemo(() => targetOptions(rowsQuery.data), [rowsQuery.data]);
  const target = view.target ?? defaultTarget(targets);
  const direction = view.direction ?? guessDirection(target);
  const query = useQuery({
    ...trpc.analysis.factorImpact.queryOptions({ project, filter, target, direction, includeDerived: view.derived || undefined }),
    enabled: !!target,
  });
  const data = query.data;
  const result = data?.result ?? null;
  // Factors by importance; categorical ones for the strip plot and the heatmap.
  const ranked = useMemo(() => (result ? result.factors.map((f) => f.name) : []), [result]);
  const categorical = useMemo(() => (result ? ranked.filter((n) => result.info.find((f) => f.name === n)?.kind === "categorical") : []), [result, ranked]);
  const set = (patch: Partial<AnalysisView>) => setView({ ...view, ...patch });
  const stripFactor = view.strip && ranked.includes(view.strip) ? view.strip : (categorical[0] ?? ranked[0] ?? "");
  const heatPair = view.heat && view.heat.every((h) => categorical.includes(h)) ? view.heat : categorical.length >= 2 ? ([categorical[0], categorical[1]] as [string, string]) : null;
  const scatterFactor = view.scatter && ranked.includes(view.scatter) ? view.scatter : (ranked[0] ?? "");
  const logX = result?.info.find((f) => f.name === scatterFactor)?.kind === "log";
  const axes = ranked.slice(0, view.axes ?? DEFAULT_AXES);
  const filterText = Object.keys(filter).length ? "the filtered runs" : "all runs of the project";
  const hrefFor = (f: RunFilter) => `/p/${encodeURIComponent(project)}/impact${writeAnalysisView({ ...view, filter: f })}`;

  const factorSelect = (label: string, value: string, onChange: (v: string) => void, options: string[]) => (
    <LabeledSelect label={label} value={value} options={options} onChange={onChange} />
  );

  return (
    <div className="stack" data-testid="impact-view">
      <h1>Factor impact</h1>
      <div className="row panel">
        <span className="muted">Over {filterText}.</span>
        {factorSelect("Target", target, (v) => set({ target: v, direction: null }), targets)}
        {factorSelect("Direction", direction, (v) => set({ target, direction: v as "minimize" | "maximize" }), ["minimize", "maximize"])}
      </div>
      {rowsQuery.error ? (
        <ErrorState error={rowsQuery.error} what="runs" />
      ) : rowsQuery.data && !targets.length ? (
        <Empty title="No numeric target yet">Log a metric such as val/loss (or a summary value) in your runs.</Empty>
      ) : query.error ? (
        <ErrorState error={query.error} what="factor impact" />
      ) : !data ? (
        <Loading what="factor impact (forests and bootstraps take a moment)" />
      ) : !result ? (
        <Empty title="Not enough to analyse">{data.reason}</Empty>
      ) : (
        <>
          <section className="panel stack" aria-label="Which family matters" data-testid="family-answer">
            <h2 style={{ margin: 0 }}>Which matters most: dataset, base model or hyperparameters?</h2>
            <p style={{ margin: 0, fontSize: 16 }}>
              <strong>{result.answer.text}</strong> <span className={`badge`}>confidence: {result.answer.confidence}</span>
            </p>
            <table className="simple">
              <thead>
                <tr>
                  <th>Family</th>
                  <th>Share</th>
                  <th>95% interval</th>
                  <th>P(top)</th>
                  <th>fANOVA · permutation · PED-ANOVA</th>
                  <th>Factors</th>
                </tr>
              </thead>
              <tbody>
                {result.families.map((f) => (
                  <tr key={f.family} data-family={f.family}>
                    <td>{f.family.replace("_", " ")}</td>
                    <td>
                      <div style={{ display: "flex", gap: 6, alignItems: "center" }}>
                        <div className="bar" style={{ width: `${Math.max(0, f.share) * 120}px` }} /> {pct(f.share)}
                      </div>
                    </td>
                    <td>
                      {pct(f.ci95[0])} – {pct(f.ci95[1])}
                    </td>
                    <td>{pct(f.probabilityTop)}</td>
                    <td className="mono">{f.byMethod ? `${pct(f.byMethod.fanova)} · ${pct(f.byMethod.permutation)} · ${pct(f.byMethod.pedAnova)}` : "—"}</td>
                    <td className="mono">{f.factors.join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {result.answer.caveats.length > 0 && (
              <ul className="muted" style={{ margin: 0 }}>
                {result.answer.caveats.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            )}
          </section>
          <FactorNotes data={data} result={result} filter={filter} hrefFor={hrefFor} derived={view.derived} onDerived={(derived) => set({ derived })} />
          <ConfoundingPanel result={result} />
          <section className="panel stack" aria-label="Importance by method">
            <h2 style={{ margin: 0 }}>Importance by method</h2>
            <p className="muted" style={{ margin: 0 }}>
              {result.runs} runs{result.skipped.length ? `, ${result.skipped.length} skipped (no ${target})` : ""}; forest out-of-bag R² {result.forest.oobR2.toFixed(2)}.
              Combined weighs each method by how well it fits these runs.
            </p>
            <ImportanceTable result={result} />
            <MethodNotes result={result} />
          </section>
          <section className="panel stack" aria-label="ANOVA">
            <h2 style={{ margin: 0 }}>ANOVA</h2>
            <AnovaTable result={result} />
          </section>
          <div className="grid-2">
            <section className="panel" aria-label="Per-level distribution">
              <div className="row">
                <h2 style={{ margin: 0 }}>Per level</h2>
                {factorSelect("Factor", stripFactor, (v) => set({ strip: v }), ranked)}
              </div>
              <EChart option={boxStripOption(data.runs, stripFactor, target)} label={`${target} by ${stripFactor}`} />
            </section>
            <section className="panel" aria-label="Interaction heatmap" data-testid="heatmap" data-pair={heatPair?.join("|") ?? ""}>
              <div className="row">
                <h2 style={{ margin: 0 }}>Interaction</h2>
                {heatPair && factorSelect("Rows", heatPair[0], (v) => set({ heat: [v, heatPair[1]] }), categorical.filter((c) => c !== heatPair[1]))}
                {heatPair && factorSelect("Columns", heatPair[1], (v) => set({ heat: [heatPair[0], v] }), categorical.filter((c) => c !== heatPair[0]))}
              </div>
              {heatPair ? (
                <EChart option={heatmapOption(data.runs, heatPair[0], heatPair[1], target)} label={`mean ${target} by ${heatPair[0]} and ${heatPair[1]}`} />
              ) : (
                <p className="muted">Needs two categorical factors that vary.</p>
              )}
            </section>
            <section className="panel" aria-label="Scatter">
              <div className="row">
                <h2 style={{ margin: 0 }}>Scatter</h2>
                {factorSelect("x", scatterFactor, (v) => set({ scatter: v }), ranked)}
              </div>
              <EChart option={scatterOption(data.runs, scatterFactor, target, logX)} label={`${target} against ${scatterFactor}`} />
            </section>
            <section className="panel" aria-label="Parallel coordinates" data-testid="parallel" data-axes={axes.length + 1}>
              <div className="row">
                <h2 style={{ margin: 0 }}>Parallel coordinates</h2>
                {ranked.length > DEFAULT_AXES && (
                  <button type="button" onClick={() => set({ axes: axes.length < ranked.length ? ranked.length : null })}>
                    {axes.length < ranked.length ? `Show all ${ranked.length} factors` : `Top ${DEFAULT_AXES} only`}
                  </button>
                )}
              </div>
              <p className="muted" style={{ margin: 0 }}>
                The target and the {axes.length} most important factors. Drag along an axis to brush: only runs inside the range stay highlighted.
              </p>
              <EChart option={parallelOption(data.runs, axes, target)} height={360} label="Parallel coordinates of factors and target" />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
