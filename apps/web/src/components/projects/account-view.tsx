"use client";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { useViewer } from "@/lib/viewer";
import { Empty, QueryView } from "../states";
import { KeysTable } from "./keys-table";

/** Your sessions (end one, or all of them) and your keys in every project. */
export function AccountView() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const sessions = useQuery(trpc.session.list.queryOptions());
  const keys = useQuery(trpc.key.listMine.queryOptions());
  const revoke = useMutation(trpc.session.revoke.mutationOptions({ onSuccess: () => void sessions.refetch() }));
  const signOut = useMutation(
    trpc.session.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.push("/sign-in");
      },
    }),
  );
  const everywhere = useMutation(
    trpc.session.signOutEverywhere.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.push("/sign-in");
      },
    }),
  );
  return (
    <div className="stack">
      <h1>Your account{viewer?.user ? ` · ${viewer.user.username}` : ""}</h1>
      <div className="row">
        <button type="button" onClick={() => signOut.mutate()}>
          Sign out
        </button>
        <button type="button" className="danger" onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </button>
      </div>
      <h2>Sessions</h2>
      <QueryView query={sessions} what="your sessions">
        {(list) => list.length === 0 ? (
        <Empty title="No sessions">Signed in with an API key header only.</Empty>
      ) : (
        <table className="simple" data-testid="sessions">
          <thead>
            <tr>
              <th>Signed in</th>
              <th>With</th>
              <th>Browser</th>
              <th>Last seen</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-current={s.current ? "true" : undefined}>
                <td>{s.createdAt.toLocaleString()}</td>
                <td>{s.via === "password" ? "password" : "API key"}</td>
                <td className="muted" title={s.userAgent}>
                  {s.userAgent.slice(0, 60) || "—"}
                </td>
                <td>{s.lastSeenAt.toLocaleString()}</td>
                <td>{s.expiresAt.toLocaleDateString()}</td>
                <td>
                  {s.current ? (
                    <span className="badge">this browser</span>
                  ) : (
                    <button type="button" className="danger" onClick={() => revoke.mutate({ id: s.id })}>
                      End
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      </QueryView>
      <h2>Your API keys</h2>
      <QueryView query={keys} what="your keys">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No keys yet">Mint one on a project&apos;s API keys page.</Empty>
          ) : (
            <KeysTable keys={list} showProject onRevoked={() => void keys.refetch()} />
          )
        }
      </QueryView>
    </div>
  );
}
