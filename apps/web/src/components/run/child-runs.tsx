"use client";
import Link from "next/link";
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { formatBytes, formatNumber } from "@finetrack/contracts";
import { EChart, type EChartOption } from "../charts/echart";
import { StatusBadge } from "../runs/cell";

type Run = RouterOutputs["run"]["get"];

/** Model size in bytes as a derived run reports it (summary first, config as a fallback). */
function bytesOf(run: Run): number | null {
  for (const source of [run.summary, run.config]) {
    for (const [k, v] of Object.entries(source)) if (/bytes/i.test(k) && typeof v === "number") return v;
  }
  return null;
}

function valLossOf(run: Run): number | null {
  const key = Object.keys(run.metricStats).find((k) => /^(val|valid|validation|eval)[/_.]loss$/i.test(k));
  if (key) return run.metricStats[key].last;
  const s = Object.entries(run.summary).find(([k, v]) => /val.*loss/i.test(k) && typeof v === "number");
  return s ? (s[1] as number) : null;
}

/** Runs derived from this one (compression, distillation): size against validation loss. */
export function ChildRuns({ project, runId }: { project: string; runId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.run.list.queryOptions({ project, filter: { parentRunId: runId }, limit: 200 }));
  const children = useMemo(() => query.data?.items ?? [], [query.data]);
  const option: EChartOption | null = useMemo(() => {
    const points = children.flatMap((c) => {
      const b = bytesOf(c);
      const v = valLossOf(c);
      return b !== null && v !== null && Number.isFinite(v) ? [{ value: [b, v], name: c.name }] : [];
    });
    if (!points.length) return null;
    return {
      grid: { left: 70, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "value", name: "bytes", nameLocation: "middle", nameGap: 30, scale: true },
      yAxis: { type: "value", name: "val loss", scale: true },
      tooltip: { trigger: "item" },
      series: [{ type: "scatter", symbolSize: 10, data: points }],
    };
  }, [children]);
  if (!children.length) return null;
  return (
    <section className="panel stack" aria-label="Derived runs">
      <h2 style={{ margin: 0 }}>Derived runs ({children.length})</h2>
      <table className="simple">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Method</th>
            <th className="num">Bytes</th>
            <th className="num">Val loss</th>
          </tr>
        </thead>
        <tbody>
          {children.map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/p/${project}/runs/${encodeURIComponent(c.id)}`}>{c.name}</Link>
              </td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{c.method ?? "—"}</td>
              <td className="num" data-column="bytes">{bytesOf(c) === null ? "—" : formatBytes(bytesOf(c)!)}</td>
              <td className="num">{formatNumber(valLossOf(c))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {option && <EChart option={option} height={260} label="Model bytes against validation loss of derived runs" />}
    </section>
  );
}
