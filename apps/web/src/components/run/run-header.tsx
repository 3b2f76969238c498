"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { formatDurationMs } from "@finetrack/contracts";
import { StatusBadge } from "../runs/cell";

type Run = RouterOutputs["run"]["get"];

/**
 * Seconds the run's work took: its start to its finish, or the wall time it reports in its summary
 * when that is longer (a derived run is often created only once its work is done).
 */
export function durationSeconds(run: Pick<Run, "startedAt" | "finishedAt" | "heartbeatAt" | "summary">): number | null {
  const reported = ["wall_time_ms", "duration_ms", "train_wall_time_ms"].map((k) => (Object.hasOwn(run.summary, k) ? run.summary[k] : undefined)).find((v) => typeof v === "number" && Number.isFinite(v) && v >= 0) as number | undefined;
  const logged = run.startedAt ? ((run.finishedAt ?? run.heartbeatAt ?? run.startedAt).getTime() - run.startedAt.getTime()) / 1000 : null;
  if (reported === undefined) return logged;
  return Math.max(logged ?? 0, reported / 1000);
}

function durationOf(run: Run): string {
  const s = durationSeconds(run);
  return s === null ? "—" : formatDurationMs(s * 1000);
}

function NotesEditor({ run, project }: { run: Run; project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(run.notes);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setText(run.notes);
  }, [run.notes, editing]);
  const save = useMutation(
    trpc.run.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void queryClient.invalidateQueries({ queryKey: trpc.run.get.queryKey({ id: run.id, project }) });
      },
    }),
  );
  if (!editing) {
    return (
      <div className="row" style={{ alignItems: "flex-start" }}>
        <p style={{ margin: 0, whiteSpace: "pre-wrap", flex: 1 }} data-testid="notes">
          {run.notes || <span className="muted">No notes.</span>}
        </p>
        <button type="button" onClick={() => setEditing(true)}>
          Edit notes
        </button>
      </div>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: run.id, project, notes: text });
      }}
    >
      <textarea aria-label="Notes" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save notes
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
        {save.error && <span className="state error">{save.error.message}</span>}
      </div>
    </form>
  );
}

export function RunHeader({ run, project }: { run: Run; project: string }) {
  const backend = typeof run.system.backend === "string" ? run.system.backend : "—";
  const dataset = run.dataset ? `${run.dataset.name}@${run.dataset.version}` : "—";
  return (
    <section className="panel stack" aria-label="Run">
      <div className="row">
        <h1 style={{ margin: 0 }} data-testid="run-name">
          {run.name}
        </h1>
        <span data-testid="run-status">
          <StatusBadge status={run.status} />
        </span>
        {run.tags.map((t) => (
          <span key={t} className="badge">
            {t}
          </span>
        ))}
      </div>
      <dl className="kv">
        <dt>Id</dt>
        <dd className="mono">{run.id}</dd>
        {run.parentRunId && (
          <>
            <dt>Derived from</dt>
            <dd>
              <Link href={`/p/${encodeURIComponent(project)}/runs/${encodeURIComponent(run.parentRunId)}`} data-testid="parent-link">
                parent run <span className="mono">{run.parentRunId}</span>
              </Link>
            </dd>
          </>
        )}
        <dt>Base model</dt>
        <dd>
          {run.baseModel ?? "—"}
          {run.baseModelParams ? ` (${(run.baseModelParams / 1e6).toFixed(2)} M params)` : ""}
        </dd>
        <dt>Dataset</dt>
        <dd>{dataset}</dd>
        <dt>Method</dt>
        <dd>{run.method ?? "—"}</dd>
        <dt>Group</dt>
        <dd>{run.group ?? "—"}</dd>
        <dt>Backend</dt>
        <dd>{backend}</dd>
        <dt>Duration</dt>
        <dd>{durationOf(run)}</dd>
        <dt>Created</dt>
        <dd>{run.createdAt.toLocaleString()}</dd>
        {run.error && (
          <>
            <dt>Error</dt>
            <dd style={{ color: "var(--danger)" }}>{run.error}</dd>
          </>
        )}
      </dl>
      <NotesEditor run={run} project={project} />
    </section>
  );
}
