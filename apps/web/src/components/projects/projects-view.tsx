"use client";
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { roleOf, useViewer } from "@/lib/viewer";
import { Empty, ErrorState, Loading } from "../states";
import { KeySnippets } from "./key-snippets";

/** Creating a project makes you its owner; its first key is offered right away, with the snippets to use it. */
function CreateProject() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: (project) => {
        setCreated(project.slug);
        setSecret(null);
        setSlug("");
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.analysis.projectActivity.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.session.me.queryKey() });
      },
    }),
  );
  const firstKey = useMutation(trpc.key.create.mutationOptions({ onSuccess: (key) => setSecret(key.secret) }));
  return (
    <div className="stack">
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
      {created && !secret && (
        <div className="panel row" data-testid="first-key">
          <span>
            Project <strong>{created}</strong> is ready and you own it. Log to it with an API key:
          </span>
          <button type="button" className="primary" disabled={firstKey.isPending} onClick={() => firstKey.mutate({ project: created, name: "first key", scopes: ["write"] })}>
            Create its first API key
          </button>
          {firstKey.error && <span style={{ color: "var(--danger)" }}>{firstKey.error.message}</span>}
        </div>
      )}
      {created && secret && <KeySnippets project={created} secret={secret} onDone={() => setCreated(null)} />}
    </div>
  );
}

export function ProjectsView() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const query = useQuery(trpc.analysis.projectActivity.queryOptions());
  return (
    <div className="stack">
      <h1>Projects</h1>
      {query.error ? (
        <ErrorState error={query.error} what="projects" />
      ) : !query.data ? (
        <Loading what="projects" />
      ) : query.data.length === 0 ? (
        <Empty title="No projects yet">Create one below; you become its owner and can mint its first API key right away.</Empty>
      ) : (
        <table className="simple" data-testid="projects">
          <thead>
            <tr>
              <th>Project</th>
              <th>Slug</th>
              <th>Your role</th>
              <th className="num">Runs</th>
              <th className="num">Running</th>
              <th>Last activity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {query.data.map((p) => (
              <tr key={p.slug} data-project={p.slug}>
                <td>
                  <Link href={`/p/${encodeURIComponent(p.slug)}`}>{p.name}</Link>
                  {p.description && <div className="muted">{p.description}</div>}
                </td>
                <td className="mono">{p.slug}</td>
                <td data-testid="role">{roleOf(viewer, p.slug) ?? "—"}</td>
                <td className="num">{p.runCount.toLocaleString()}</td>
                <td className="num">{p.runningCount.toLocaleString()}</td>
                <td>{p.lastActivityAt ? p.lastActivityAt.toLocaleString() : "—"}</td>
                <td className="row">
                  <Link href={`/p/${encodeURIComponent(p.slug)}/members`}>Members</Link>
                  <Link href={`/p/${encodeURIComponent(p.slug)}/keys`}>API keys</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {/* Signed out, creating a project cannot work: the form waits for a session. */}
      {viewer && !(viewer.authEnabled && viewer.via === "none") && !(viewer.projectSlug && !viewer.scopes.includes("admin")) && <CreateProject />}
    </div>
  );
}
