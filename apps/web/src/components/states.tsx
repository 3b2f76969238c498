"use client";
import Link from "next/link";
import type { ReactNode } from "react";

type TrpcLikeError = { message: string; data?: { code?: string } | null };

export function Loading({ what }: { what: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function ErrorState({ error, what }: { error: TrpcLikeError; what: string }) {
  const code = error.data?.code;
  if (code === "NOT_FOUND") {
    return (
      <div className="state error" role="alert" data-testid="not-found">
        <strong>Not found: {what}</strong>
        {error.message}. Check the address, or pick one from <Link href="/">your projects</Link>.
      </div>
    );
  }
  if (code === "UNAUTHORIZED" || code === "FORBIDDEN") {
    return (
      <div className="state error" role="alert">
        <strong>{code === "UNAUTHORIZED" ? "Sign in to see " + what : "Your key cannot read " + what}</strong>
        <Link href="/sign-in">Sign in with an API key</Link> — <code>finetrack server</code> prints the local admin key.
      </div>
    );
  }
  return (
    <div className="state error" role="alert">
      <strong>Could not load {what}</strong>
      {error.message}.{code ? " Reload to try again." : " Check that the finetrack server is running, then reload."}
    </div>
  );
}

/** Renders loading / error states of a query, or its content once data is there. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { data: T | undefined; error: TrpcLikeError | null; isPending: boolean };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.error && query.data === undefined) return <ErrorState error={query.error} what={what} />;
  if (query.data === undefined) return <Loading what={what} />;
  return <>{children(query.data)}</>;
}
