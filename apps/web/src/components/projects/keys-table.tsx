"use client";
import type { ApiKey } from "@finetrack/contracts";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** Keys with their owner, use and expiry; revoking asks first. Shared by a project's keys page and your account page. */
export function KeysTable({ keys, onRevoked, showProject = false }: { keys: ApiKey[]; onRevoked: () => void; showProject?: boolean }) {
  const trpc = useTRPC();
  const revoke = useMutation(trpc.key.revoke.mutationOptions({ onSuccess: onRevoked }));
  const expired = (k: ApiKey) => k.expiresAt !== null && k.expiresAt.getTime() <= Date.now();
  return (
    <table className="simple" data-testid="keys">
      <thead>
        <tr>
          {showProject && <th>Project</th>}
          <th>Name</th>
          <th>Prefix</th>
          <th>Scopes</th>
          <th>User</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Expires</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id} data-key-name={k.name} style={k.revokedAt || expired(k) ? { opacity: 0.5 } : undefined}>
            {showProject && <td className="mono">{k.projectSlug}</td>}
            <td>{k.name}</td>
            <td className="mono">{k.prefix}…</td>
            <td>{k.scopes.join(", ")}</td>
            <td>{k.username}</td>
            <td>{k.createdAt.toLocaleString()}</td>
            <td>{k.lastUsedAt ? k.lastUsedAt.toLocaleString() : "never"}</td>
            <td>{k.expiresAt ? `${expired(k) ? "expired " : ""}${k.expiresAt.toLocaleString()}` : "never"}</td>
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
  );
}
