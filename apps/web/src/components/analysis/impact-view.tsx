"use client";
import { LabeledSelect } from "../labeled-select";
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useTRPC } from "@/trpc/client";
import { readTableView } from "@/lib/view-state";
import { EChart } from "../charts/echart";
import { Empty, ErrorState, Loading } from "../states";
import { defaultTarget, guessDirection, targetOptions } from "./field-options";
import { boxStripOption, heatmapOption, parallelOption, scatterOption } from "./impact-charts";
import { AnovaTable, ImportanceTable } from "./importance-table";

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "—");

export function ImpactView({ project }: { project: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const filter = useMemo(() => readTableView(new URLSearchParams(params.toString())).filter, [params]);
  const rowsQuery = useQuery(trpc.analysis.runRows.queryOptions({ project, filter }));
  const targets = useMemo(() => targetOptions(rowsQuery.data), [rowsQuery.data]);
  const [picked, setPicked] = useState<{ target?: string; direction?: "minimize" | "maximize" }>({});
  const target = picked.target ?? defaultTarget(targets);
  const direction = picked.direction ?? guessDirection(target);
  const query = useQuery({ ...trpc.analysis.factorImpact.queryOptions({ project, filter, target, direction }), enabled: !!target });
  const data = query.data;
  const result = data?.result ?? null;
  const categorical = useMemo(() => (result ? result.info.filter((f) => f.kind === "categorical" && f.varies).map((f) => f.name) : []), [result]);
  const [strip, setStrip] = useState<string>("");
  const [heat, setHeat] = useState<[string, string] | null>(null);
  const [scatter, setScatter] = useState<string>("");
  const top = result?.factors[0]?.name ?? "";
  const stripFactor = strip || categorical[0] || top;
  const heatPair = heat ?? (categorical.length >= 2 ? ([categorical.includes("baseModel") ? "baseModel" : categorical[0], categorical.find((c) => c !== (categorical.includes("baseModel") ? "baseModel" : categorical[0]))!] as [string, string]) : null);
  const scatterFactor = scatter || top;
  const logX = result?.info.find((f) => f.name === scatterFactor)?.kind === "log";
  const filterText = Object.keys(filter).length ? "the filtered runs" : "all runs of the project";

  const factorSelect = (label: string, value: string, set: (v: string) => void, options: string[]) => (
    <LabeledSelect label={label} value={value} options={options} onChange={set} />
  );

  return (
    <div className="stack" data-testid="impact-view">
      <h1>Factor impact</h1>
      <div className="row panel">
        <span className="muted">Over {filterText}.</span>
        {factorSelect("Target", target, (v) => setPicked({ target: v }), targets)}
        {factorSelect("Direction", direction, (v) => setPicked({ ...picked, target, direction: v as "minimize" | "maximize" }), ["minimize", "maximize"])}
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
          <section className="panel stack" aria-label="Importance by method">
            <h2 style={{ margin: 0 }}>Importance by method</h2>
            <p className="muted" style={{ margin: 0 }}>
              {result.runs} runs{result.skipped.length ? `, ${result.skipped.length} skipped (no ${target})` : ""}; forest out-of-bag R² {result.forest.oobR2.toFixed(2)}.
            </p>
            <ImportanceTable result={result} />
          </section>
          <section className="panel stack" aria-label="ANOVA">
            <h2 style={{ margin: 0 }}>ANOVA</h2>
            <AnovaTable result={result} />
          </section>
          <div className="grid-2">
            <section className="panel" aria-label="Per-level distribution">
              <div className="row">
                <h2 style={{ margin: 0 }}>Per level</h2>
                {factorSelect("Factor", stripFactor, setStrip, result.factors.map((f) => f.name))}
              </div>
              <EChart option={boxStripOption(data.runs, stripFactor, target)} label={`${target} by ${stripFactor}`} />
            </section>
            <section className="panel" aria-label="Interaction heatmap">
              <div className="row">
                <h2 style={{ margin: 0 }}>Interaction</h2>
                {heatPair && factorSelect("Rows", heatPair[0], (v) => setHeat([v, heatPair[1]]), categorical)}
                {heatPair && factorSelect("Columns", heatPair[1], (v) => setHeat([heatPair[0], v]), categorical)}
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
                {factorSelect("x", scatterFactor, setScatter, data.factors)}
              </div>
              <EChart option={scatterOption(data.runs, scatterFactor, target, logX)} label={`${target} against ${scatterFactor}`} />
            </section>
            <section className="panel" aria-label="Parallel coordinates">
              <h2 style={{ margin: 0 }}>Parallel coordinates</h2>
              <p className="muted" style={{ margin: 0 }}>
                Drag along an axis to brush: only runs inside the range stay highlighted.
              </p>
              <EChart option={parallelOption(data.runs, data.factors, target)} height={360} label="Parallel coordinates of factors and target" />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
