"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Empty, ErrorState, Loading } from "../states";

type Scope = "read" | "write" | "admin";

export function KeysView({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.key.list.queryOptions({ project }));
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["write"]);
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
  const revoke = useMutation(trpc.key.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <div className="stack">
      <h1>API keys · {project}</h1>
      {secret && (
        <div className="panel" role="alert" data-testid="new-secret">
          <strong>Copy this key now — it is shown only once.</strong>
          <div className="row">
            <code style={{ userSelect: "all" }}>{secret}</code>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
              Copy
            </button>
            <button type="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <form
        className="row panel"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ project, name, scopes });
        }}
      >
        <input placeholder="key name (e.g. training box)" aria-label="Key name" value={name} onChange={(e) => setName(e.target.value)} required />
        {(["read", "write", "admin"] as const).map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />{" "}
            {s}
          </label>
        ))}
        <button type="submit" className="primary" disabled={!name || !scopes.length || create.isPending}>
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
        <table className="simple" data-testid="keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {query.data.map((k) => (
              <tr key={k.id} style={k.revokedAt ? { opacity: 0.5 } : undefined}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.scopes.join(", ")}</td>
                <td>{k.createdAt.toLocaleString()}</td>
                <td>{k.lastUsedAt ? k.lastUsedAt.toLocaleString() : "never"}</td>
                <td>
                  {k.revokedAt ? (
                    `revoked ${k.revokedAt.toLocaleString()}`
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => window.confirm(`Revoke key '${k.name}'? Programs using it will stop working.`) && revoke.mutate({ id: k.id })}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
