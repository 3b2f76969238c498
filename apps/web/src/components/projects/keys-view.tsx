"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { atLeast, roleOf, useViewer, type Role } from "@/lib/viewer";
import { Empty, ErrorState, Loading } from "../states";
import { KeySnippets } from "./key-snippets";
import { KeysTable } from "./keys-table";

type Scope = "read" | "write" | "admin";
const SCOPE_ROLE: Record<Scope, Role> = { read: "viewer", write: "editor", admin: "owner" };
const EXPIRY_DAYS = [0, 30, 90, 365];

/** A project's keys: an owner sees and revokes all, everyone else mints and sees their own, scopes capped by their role. */
export function KeysView({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const role = roleOf(useViewer(), project);
  const query = useQuery(trpc.key.list.queryOptions({ project }));
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["write"]);
  const [days, setDays] = useState(0);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.key.list.queryKey({ project }) });
  const create = useMutation(
    trpc.key.create.mutationOptions({
      onSuccess: (key) => {
        setSecret(key.secret);
        setName("");
        void refresh();
      },
    }),
  );
  const allowed = (s: Scope) => atLeast(role, SCOPE_ROLE[s]);
  // "write" by default; someone who may not write starts with "read".
  const wanted = scopes.filter(allowed);
  const chosen: Scope[] = wanted.length || scopes.length === 0 ? wanted : allowed("read") ? ["read"] : [];
  return (
    <div className="stack">
      <h1>API keys · {project}</h1>
      <p className="muted">
        Your role here: <strong data-testid="my-role">{role ?? "none"}</strong>. A key acts for you, never beyond your role; {role === "owner" ? "you see every key of the project." : "you see your own keys."}
      </p>
      {secret && <KeySnippets project={project} secret={secret} onDone={() => setSecret(null)} />}
      <form
        className="row panel"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ project, name, scopes: chosen, expiresAt: days ? new Date(Date.now() + days * 86_400_000) : undefined });
        }}
      >
        <input placeholder="key name (e.g. training box)" aria-label="Key name" value={name} onChange={(e) => setName(e.target.value)} required />
        {(["read", "write", "admin"] as const).map((s) => (
          <label key={s} title={allowed(s) ? undefined : `needs the ${SCOPE_ROLE[s]} role`}>
            <input
              type="checkbox"
              disabled={!allowed(s)}
              checked={chosen.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))}
            />{" "}
            {s}
          </label>
        ))}
        <label>
          Expires{" "}
          <select aria-label="Expires" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d ? `in ${d} days` : "never"}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!name || !chosen.length || create.isPending}>
          Create key
        </button>
        {create.error && <span style={{ color: "var(--danger)" }}>{create.error.message}</span>}
      </form>
      {query.error ? (
        <ErrorState error={query.error} what="API keys" />
      ) : !query.data ? (
        <Loading what="API keys" />
      ) : query.data.length === 0 ? (
        <Empty title="No keys yet">Create one above; the SDK reads it from FINETRACK_API_KEY.</Empty>
      ) : (
        <KeysTable keys={query.data} onRevoked={() => void refresh()} />
      )}
    </div>
  );
}
