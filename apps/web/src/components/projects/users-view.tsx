"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { QueryView } from "../states";

/** Instance admins: accounts, one-time passwords, disabling (which stops a user's keys and sessions at once). */
export function UsersView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.user.list.queryOptions());
  const [username, setUsername] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
  const onPassword = (u: { username: string; password: string | null }) => {
    if (u.password) setIssued({ username: u.username, password: u.password });
    void refresh();
  };
  const create = useMutation(trpc.user.create.mutationOptions({ onSuccess: (u) => (onPassword(u), setUsername("")) }));
  const reset = useMutation(trpc.user.resetPassword.mutationOptions({ onSuccess: onPassword }));
  const setDisabled = useMutation(trpc.user.setDisabled.mutationOptions({ onSuccess: () => void refresh() }));
  const error = create.error ?? reset.error ?? setDisabled.error;
  return (
    <div className="stack">
      <h1>Users</h1>
      {issued && (
        <div className="panel row" role="alert" data-testid="one-time-password">
          <span>
            One-time password for <strong>{issued.username}</strong> (shown once; they sign in with it): <code style={{ userSelect: "all" }}>{issued.password}</code>
          </span>
          <button type="button" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      )}
      <form
        className="row panel"
        aria-label="Create a user"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ username: username.trim(), isAdmin });
        }}
      >
        <input placeholder="username or email" aria-label="New username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label>
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} /> instance admin
        </label>
        <button type="submit" className="primary" disabled={!username.trim() || create.isPending}>
          Create user
        </button>
      </form>
      {error && <p className="state error">{error.message}</p>}
      <QueryView query={users} what="users">
        {(list) => (
        <table className="simple" data-testid="users">
          <thead>
            <tr>
              <th>User</th>
              <th>Instance admin</th>
              <th>Status</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.id} data-user={u.username}>
                <td>{u.username}</td>
                <td>{u.isAdmin ? "yes" : ""}</td>
                <td>{u.disabledAt ? `disabled ${u.disabledAt.toLocaleString()}` : "active"}</td>
                <td>{u.createdAt.toLocaleDateString()}</td>
                <td className="row">
                  <button type="button" onClick={() => window.confirm(`Give ${u.username} a new password? Their sessions end.`) && reset.mutate({ username: u.username })}>
                    Reset password
                  </button>
                  <button type="button" className="danger" onClick={() => setDisabled.mutate({ username: u.username, disabled: !u.disabledAt })}>
                    {u.disabledAt ? "Enable" : "Disable"}
                  </button>
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
