"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { roleOf, useViewer, type Role } from "@/lib/viewer";
import { QueryView } from "../states";

const ROLES: Role[] = ["viewer", "editor", "owner"];

/** Who may do what in a project; owners add people, change roles and remove them. */
export function MembersView({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isOwner = roleOf(useViewer(), project) === "owner";
  const query = useQuery(trpc.project.members.queryOptions({ project }));
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const onChanged = (members: unknown) => queryClient.setQueryData(trpc.project.members.queryKey({ project }), members as never);
  const set = useMutation(trpc.project.setMember.mutationOptions({ onSuccess: (m) => (onChanged(m), setUsername("")) }));
  const remove = useMutation(trpc.project.removeMember.mutationOptions({ onSuccess: onChanged }));
  const error = set.error ?? remove.error;
  return (
    <div className="stack">
      <h1>Members · {project}</h1>
      <p className="muted">viewer: reads runs · editor: also logs runs and edits notes and tags · owner: also manages members and every key. Instance admins can do everything.</p>
      {isOwner && (
        <form
          className="row panel"
          aria-label="Add a member"
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate({ project, username: username.trim(), role });
          }}
        >
          <input placeholder="username" aria-label="Username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" className="primary" disabled={!username.trim() || set.isPending}>
            Add member
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="state error">
          {error.message}
        </p>
      )}
      <QueryView query={query} what="members">
        {(members) => (
        <table className="simple" data-testid="members">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-member={m.username}>
                <td>
                  {m.username} {m.disabled && <span className="badge">disabled</span>}
                </td>
                <td>
                  {isOwner ? (
                    <select aria-label={`Role of ${m.username}`} value={m.role} onChange={(e) => set.mutate({ project, username: m.username, role: e.target.value as Role })}>
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>{m.createdAt.toLocaleDateString()}</td>
                <td>
                  {isOwner && (
                    <button type="button" className="danger" onClick={() => window.confirm(`Remove ${m.username} from ${project}?`) && remove.mutate({ project, username: m.username })}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        )}
      </QueryView>
    </div>
  );
}
