"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { formatNumber } from "@finetrack/contracts";
import { LabeledSelect } from "../labeled-select";
import { ErrorState, Loading } from "../states";
import { defaultTarget, guessDirection } from "../analysis/field-options";

/**
 * The picked runs as configurations: each brings its other seeds from the project, and the
 * configurations are compared with Welch's t-test and a bootstrap interval of the difference.
 * `start`: false keeps the query waiting (the compare page starts it once its curves are in).
 */
export function SeedComparison({ project, runIds, targets, start = true }: { project: string; runIds: string[]; targets: string[]; start?: boolean }) {
  const trpc = useTRPC();
  const [picked, setPicked] = useState<string>("");
  const target = picked || defaultTarget(targets);
  const direction = guessDirection(target);
  const query = useQuery({ ...trpc.analysis.compareConfigs.queryOptions({ project, runIds, target, direction }), enabled: start && !!target && runIds.length >= 2 });
  const d = query.data;
  return (
    <section className="panel stack" aria-label="Seed-aware comparison" data-testid="seed-comparison">
      <div className="row">
        <h2 style={{ margin: 0 }}>Beyond seed noise?</h2>
        <LabeledSelect label="Compared on" value={target} options={targets} onChange={setPicked} />
        <span className="muted">({direction})</span>
      </div>
      {query.error ? (
        <ErrorState error={query.error} what="the comparison" />
      ) : !d ? (
        target ? <Loading what="the comparison" /> : <p className="muted">These runs have no numeric metric to compare.</p>
      ) : (
        <>
          <p style={{ margin: 0, fontSize: 16 }} data-testid="seed-verdict">
            <strong>{d.text}</strong>
          </p>
          <table className="simple">
            <thead>
              <tr>
                <th>Configuration</th>
                <th className="num">Seeds</th>
                <th className="num">Mean</th>
                <th className="num">Std over seeds</th>
                <th className="num">vs first: difference (95% CI)</th>
                <th className="num">Welch p</th>
                <th className="num">Seeds per arm to tell it apart</th>
              </tr>
            </thead>
            <tbody>
              {d.configurations.map((c, i) => {
                const cmp = i > 0 ? d.comparisons[i - 1] : null;
                return (
                  <tr key={c.label} data-testid="configuration-row">
                    <td className="mono">{c.label}</td>
                    <td className="num">{c.n}</td>
                    <td className="num">{formatNumber(c.mean)}</td>
                    <td className="num">{Number.isFinite(c.std) ? formatNumber(c.std) : "—"}</td>
                    <td className="num">{cmp ? `${formatNumber(cmp.difference)} (${formatNumber(cmp.ci95[0])} … ${formatNumber(cmp.ci95[1])})` : "—"}</td>
                    <td className="num">{cmp && Number.isFinite(cmp.welch.pValue) ? formatNumber(Number(cmp.welch.pValue.toPrecision(2))) : "—"}</td>
                    <td className="num">{cmp?.seedsNeeded ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
