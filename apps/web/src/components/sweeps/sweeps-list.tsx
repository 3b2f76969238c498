"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Empty, ErrorState, Loading } from "../states";

/** A project's sweeps, newest first, with progress. */
export function SweepsList({ project }: { project: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.sweep.list.queryOptions({ project }), refetchInterval: 5_000 });
  if (query.error) return <ErrorState error={query.error} what={`the sweeps of '${project}'`} />;
  if (!query.data) return <Loading what="sweeps" />;
  return (
    <div className="stack" data-testid="sweeps-list">
      <h1>Sweeps</h1>
      {query.data.length === 0 ? (
        <Empty title="No sweeps yet">
          Queue one with <code>finetrack sweep -c sweep.yaml --queue</code>, then start <code>finetrack agent &lt;sweep id&gt;</code> on each machine.
        </Empty>
      ) : (
        <table className="simple">
          <thead>
            <tr>
              <th>Sweep</th>
              <th>Method</th>
              <th>Status</th>
              <th>Done</th>
              <th>Running</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {query.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/p/${encodeURIComponent(project)}/sweeps/${s.id}`}>{s.name}</Link> <code>{s.id}</code>
                </td>
                <td>{s.method}</td>
                <td>{s.status}</td>
                <td>
                  {s.done} / {s.trialCount}
                </td>
                <td>{s.running}</td>
                <td title={new Date(s.createdAt).toISOString()}>{new Date(s.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
