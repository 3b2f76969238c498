"use client";
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Empty, ErrorState, Loading } from "../states";

function CreateProject() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: () => {
        setSlug("");
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.analysis.projectActivity.queryKey() });
      },
    }),
  );
  return (
    <form
      className="row panel"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ slug, name: name || slug });
      }}
      aria-label="Create a project"
    >
      <strong>New project</strong>
      <input placeholder="slug (e.g. nlp-sft)" aria-label="Project slug" value={slug} onChange={(e) => setSlug(e.target.value)} required />
      <input placeholder="name" aria-label="Project name" value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="primary" disabled={create.isPending || !slug}>
        Create
      </button>
      {create.error && (
        <span role="alert" style={{ color: "var(--danger)" }}>
          {create.error.message}
        </span>
      )}
    </form>
  );
}

export function ProjectsView() {
  const trpc = useTRPC();
  const query = useQuery(trpc.analysis.projectActivity.queryOptions());
  return (
    <div className="stack">
      <h1>Projects</h1>
      {query.error ? (
        <ErrorState error={query.error} what="projects" />
      ) : !query.data ? (
        <Loading what="projects" />
      ) : query.data.length === 0 ? (
        <Empty title="No projects yet">Create one below, or start logging: the SDK creates nothing on its own, so make the project first.</Empty>
      ) : (
        <table className="simple" data-testid="projects">
          <thead>
            <tr>
              <th>Project</th>
              <th>Slug</th>
              <th className="num">Runs</th>
              <th className="num">Running</th>
              <th>Last activity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {query.data.map((p) => (
              <tr key={p.slug}>
                <td>
                  <Link href={`/p/${encodeURIComponent(p.slug)}`}>{p.name}</Link>
                  {p.description && <div className="muted">{p.description}</div>}
                </td>
                <td className="mono">{p.slug}</td>
                <td className="num">{p.runCount.toLocaleString()}</td>
                <td className="num">{p.runningCount.toLocaleString()}</td>
                <td>{p.lastActivityAt ? p.lastActivityAt.toLocaleString() : "—"}</td>
                <td>
                  <Link href={`/p/${encodeURIComponent(p.slug)}/keys`}>API keys</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateProject />
    </div>
  );
}
