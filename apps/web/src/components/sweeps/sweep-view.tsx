"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { formatNumber } from "@finetrack/contracts";
import type { RouterOutputs } from "@/trpc/types";
import { ErrorState, Loading } from "../states";
import { ago, scopedHref } from "./sweep-links";

type Sweep = RouterOutputs["sweep"]["get"];
type Trial = Sweep["trials"][number];

const STATES = ["queued", "running", "finished", "stopped_early", "failed", "cancelled"] as const;
const label = (s: string) => s.replace("_", " ");
const values = (a: Record<string, unknown>) => Object.entries(a).map(([k, v]) => `${k}=${typeof v === "number" ? formatNumber(v) : typeof v === "string" ? v : JSON.stringify(v)}`).join(", ");

/** A sweep live: trials by state (and on which agent), agents with their last heartbeat, the best trial, cancel / resume. */
export function SweepView({ project, sweepId }: { project: string; sweepId: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.sweep.get.queryOptions({ project, sweepId }), refetchInterval: 2_000 });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const refetch = () => void query.refetch();
  const cancel = useMutation(trpc.sweep.cancel.mutationOptions({ onSuccess: refetch }));
  const resume = useMutation(trpc.sweep.resume.mutationOptions({ onSuccess: refetch }));
  if (query.error) return <ErrorState error={query.error} what={`sweep '${sweepId}'`} />;
  const s = query.data;
  if (!s) return <Loading what="the sweep" />;
  const metric = s.spec.metric;
  const runHref = (t: Trial) => (t.runId ? `/p/${encodeURIComponent(project)}/runs/${encodeURIComponent(t.runId)}` : undefined);
  const mutationError = cancel.error ?? resume.error;
  return (
    <div className="stack" data-testid="sweep-view">
      <h1>
        Sweep {s.name} <code>{s.id}</code>
      </h1>
      <div className="row panel">
        <span data-testid="sweep-status">
          <strong>{s.status}</strong> · {s.method} · {s.trialCount} trials · group <code>{s.group}</code>
        </span>
        <Link href={scopedHref(project, "ablation", s.group, metric.name, metric.goal)}>Ablation matrix of this sweep</Link>
        <Link href={scopedHref(project, "impact", s.group, metric.name, metric.goal)}>Factor impact of this sweep</Link>
        {s.status === "running" && (
          <button type="button" onClick={() => cancel.mutate({ project, sweepId })} disabled={cancel.isPending}>
            Cancel sweep
          </button>
        )}
        {s.status === "cancelled" && (
          <button type="button" onClick={() => resume.mutate({ project, sweepId })} disabled={resume.isPending}>
            Resume sweep
          </button>
        )}
      </div>
      {mutationError && <div className="state error" role="alert">{mutationError.message}</div>}
      <div className="row panel" data-testid="sweep-counts">
        {STATES.map((state) => (
          <span key={state} className={`badge state-${state}`}>
            {label(state)}: <strong>{s.counts[state]}</strong>
          </span>
        ))}
      </div>
      <section className="panel" data-testid="sweep-best">
        <h2>Best trial</h2>
        {s.best ? (
          <p>
            Trial {s.best.index}: {metric.name} {metric.goal === "minimize" ? "min" : "max"} <strong>{formatNumber(s.best.objective)}</strong> with {values(s.best.assignment)}
            {runHref(s.best) && (
              <>
                {" "}
                · <Link href={runHref(s.best)!}>run {s.best.runId}</Link>
              </>
            )}
          </p>
        ) : (
          <p>No finished trial has logged {metric.name} yet.</p>
        )}
      </section>
      <section className="panel">
        <h2>Agents</h2>
        {s.agents.length === 0 ? (
          <p>
            No agent yet: run <code>finetrack agent {s.id} --project {project}</code> on a machine that reaches this server.
          </p>
        ) : (
          <table className="simple" data-testid="sweep-agents">
            <thead>
              <tr>
                <th>Agent</th>
                <th>Host</th>
                <th>Trials done</th>
                <th>Last heartbeat</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {s.agents.map((a) => (
                <tr key={a.id}>
                  <td>
                    <code>{a.id}</code>
                  </td>
                  <td>
                    {a.host}
                    {a.pid !== null && ` (pid ${a.pid})`}
                  </td>
                  <td>{a.trialsDone}</td>
                  <td title={new Date(a.heartbeatAt).toISOString()}>{ago(a.heartbeatAt, now)}</td>
                  <td>{a.stoppedAt ? "stopped" : now - new Date(a.heartbeatAt).getTime() > s.spec.heartbeatTimeoutS * 1000 ? "silent" : "working"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Trials</h2>
        <table className="simple" data-testid="sweep-trials">
          <thead>
            <tr>
              <th>#</th>
              <th>State</th>
              <th>Values</th>
              <th>Agent</th>
              <th>Attempt</th>
              <th>{metric.name}</th>
              <th>Run</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {s.trials.map((t) => (
              <tr key={t.id} data-state={t.state}>
                <td>{t.index}</td>
                <td>
                  <span className={`badge state-${t.state}`}>{label(t.state)}</span>
                </td>
                <td>{values(t.assignment)}</td>
                <td>{t.state === "running" && t.agentId ? <code>{t.agentId}</code> : "—"}</td>
                <td>{t.attempt || "—"}</td>
                <td>{t.objective === null ? "—" : formatNumber(t.objective)}</td>
                <td>{runHref(t) ? <Link href={runHref(t)!}>{t.runId}</Link> : "—"}</td>
                <td title={t.errors.map((e) => `attempt ${e.attempt}: ${e.error}`).join("\n") || undefined}>{t.stopReason ?? t.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
