"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

export function SignInForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState("");
  const me = useQuery(trpc.session.me.queryOptions());
  const signIn = useMutation(
    trpc.session.signIn.mutationOptions({
      onSuccess: (viewer) => {
        queryClient.clear();
        router.push(viewer.projectSlug ? `/p/${encodeURIComponent(viewer.projectSlug)}` : "/");
      },
    }),
  );
  const signOut = useMutation(trpc.session.signOut.mutationOptions({ onSuccess: () => queryClient.clear() }));
  const viewer = me.data;

  return (
    <div className="stack" style={{ maxWidth: 600 }}>
      <h1>Sign in</h1>
      {viewer && !viewer.authEnabled && <p className="panel">This server runs with authentication off (FINETRACK_AUTH=off): no sign-in needed.</p>}
      {viewer?.via === "session" && (
        <p className="panel" data-testid="signed-in">
          Signed in to project <strong>{viewer.projectSlug}</strong> with scopes {viewer.scopes.join(", ")}.
        </p>
      )}
      <p className="muted">
        Paste an API key. <code>finetrack server</code> prints the local admin key on first start (it is also in{" "}
        <code>~/.finetrack/credentials.json</code>). The key is exchanged for an httpOnly session cookie; the browser never stores it.
      </p>
      <form
        className="stack panel"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ apiKey: apiKey.trim() });
        }}
      >
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="ft_…" required autoFocus />
        <div className="row">
          <button type="submit" className="primary" disabled={signIn.isPending || !apiKey.trim()}>
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
          {viewer?.via === "session" && (
            <button type="button" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          )}
        </div>
        {signIn.error && (
          <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
            {signIn.error.message}
          </p>
        )}
      </form>
    </div>
  );
}
