"use client";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

export interface SelectedRun {
  id: string;
  name: string;
  tags: string[];
}

type Mode = { kind: "idle" } | { kind: "rename"; text: string } | { kind: "tag"; text: string } | { kind: "confirm-delete" } | { kind: "deleted"; ids: string[] };

/**
 * What a user does to the selected runs: rename one, add a tag to all, delete (after a confirmation,
 * with an undo: a deleted run keeps its data and is restored by `run.delete({ restore: true })`).
 */
export function RunActions({ project, runs, onDone }: { project: string; runs: SelectedRun[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.analysis.runRows.queryKey() });
  const update = useMutation(trpc.run.update.mutationOptions());
  const remove = useMutation(trpc.run.delete.mutationOptions());
  const busy = update.isPending || remove.isPending;

  const run = async (work: () => Promise<unknown>, next: Mode) => {
    setError(null);
    try {
      await work();
      setMode(next);
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (mode.kind === "deleted") {
    return (
      <div className="row" role="status" data-testid="run-actions">
        <span>
          Deleted {mode.ids.length} run{mode.ids.length === 1 ? "" : "s"}.
        </span>
        <button type="button" disabled={busy} onClick={() => void run(() => Promise.all(mode.ids.map((id) => remove.mutateAsync({ id, project, restore: true }))), { kind: "idle" })}>
          Undo
        </button>
        <button type="button" onClick={() => setMode({ kind: "idle" })}>
          Dismiss
        </button>
        {error && <span className="state error">{error}</span>}
      </div>
    );
  }
  if (!runs.length) return null;
  const n = runs.length;
  const plural = n === 1 ? "run" : "runs";
  return (
    <div className="row" data-testid="run-actions">
      {mode.kind === "idle" && (
        <>
          <button type="button" disabled={n !== 1} title={n !== 1 ? "Select one run to rename it" : undefined} onClick={() => setMode({ kind: "rename", text: runs[0].name })}>
            Rename
          </button>
          <button type="button" onClick={() => setMode({ kind: "tag", text: "" })}>
            Add tag
          </button>
          <button type="button" className="danger" onClick={() => setMode({ kind: "confirm-delete" })}>
            Delete
          </button>
        </>
      )}
      {(mode.kind === "rename" || mode.kind === "tag") && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const text = mode.text.trim();
            if (!text) return;
            if (mode.kind === "rename") void run(() => update.mutateAsync({ id: runs[0].id, project, name: text }).then(onDone), { kind: "idle" });
            else void run(() => Promise.all(runs.filter((r) => !r.tags.includes(text)).map((r) => update.mutateAsync({ id: r.id, project, tags: [...r.tags, text] }))).then(onDone), { kind: "idle" });
          }}
        >
          <input aria-label={mode.kind === "rename" ? "New run name" : "Tag to add"} value={mode.text} autoFocus onChange={(e) => setMode({ kind: mode.kind, text: e.target.value })} />
          <button type="submit" className="primary" disabled={busy || !mode.text.trim()}>
            {mode.kind === "rename" ? "Save name" : `Add to ${n} ${plural}`}
          </button>
          <button type="button" onClick={() => setMode({ kind: "idle" })}>
            Cancel
          </button>
        </form>
      )}
      {mode.kind === "confirm-delete" && (
        <>
          <span role="alert" data-testid="confirm-delete">
            Delete {n} {plural}
            {n === 1 ? ` '${runs[0].name}'` : ""}? They leave every list and analysis; Undo brings them back.
          </span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              const ids = runs.map((r) => r.id);
              void run(() => Promise.all(ids.map((id) => remove.mutateAsync({ id, project }))).then(onDone), { kind: "deleted", ids });
            }}
          >
            Delete {n} {plural}
          </button>
          <button type="button" onClick={() => setMode({ kind: "idle" })}>
            Cancel
          </button>
        </>
      )}
      {error && <span className="state error">{error}</span>}
    </div>
  );
}
