"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { useViewer } from "@/lib/viewer";

/** Username and password; an API key instead still works (local single-user use). One form, one button. */
export function SignInForm({ next = null }: { next?: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [apiKey, setApiKey] = useState("");
  const viewer = useViewer();
  const signIn = useMutation(
    trpc.session.signIn.mutationOptions({
      onSuccess: (v) => {
        queryClient.clear();
        router.push(next ?? (v.projectSlug ? `/p/${encodeURIComponent(v.projectSlug)}` : "/"));
      },
    }),
  );
  const signOut = useMutation(trpc.session.signOut.mutationOptions({ onSuccess: () => queryClient.clear() }));
  const usingKey = apiKey.trim().length > 0;
  const ready = usingKey || (username.trim() && password);

  return (
    <div className="stack" style={{ maxWidth: 600 }}>
      <h1>Sign in</h1>
      {viewer && !viewer.authEnabled && <p className="panel">This server runs with authentication off (FINETRACK_AUTH=off): no sign-in needed.</p>}
      {viewer?.user && (
        <p className="panel" data-testid="signed-in">
          Signed in as <strong>{viewer.user.username}</strong>
          {viewer.projectSlug ? ` with a key of project ${viewer.projectSlug} (scopes ${viewer.scopes.join(", ")})` : ""}.{" "}
          <Link href="/account">Your sessions and keys</Link>
        </p>
      )}
      <form
        className="stack panel"
        aria-label="Sign in"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate(usingKey ? { apiKey: apiKey.trim() } : { username: username.trim(), password });
        }}
      >
        <label htmlFor="username">Username</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <p className="muted" style={{ margin: 0 }}>
          Or paste an API key instead: <code>finetrack server</code> prints the local admin key on first start (it is also in{" "}
          <code>~/.finetrack/credentials.json</code>). Either way you get an HttpOnly session cookie; the browser never stores the key.
        </p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="ft_…" />
        <div className="row">
          <button type="submit" className="primary" disabled={signIn.isPending || !ready}>
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
