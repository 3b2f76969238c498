import { z } from "zod";
import { ApiKeyScope } from "./key";
import { ProjectRole } from "./user";

export const SESSION_COOKIE = "finetrack_session";

/** Either an API key (local single-user use) or a username and password. */
export const SessionSignInInput = z.union(
  [
    z.object({ apiKey: z.string({ error: "expected an API key (string)" }).min(1, { error: "expected a non-empty API key" }).max(200) }),
    z.object({
      username: z.string({ error: "expected a username (string)" }).trim().min(1, { error: "expected a username" }).max(64),
      password: z.string({ error: "expected a password (string)" }).min(1, { error: "expected a password" }).max(512),
    }),
  ],
  { error: "expected { apiKey } or { username, password }" },
);
export type SessionSignInInput = z.infer<typeof SessionSignInInput>;

export const Viewer = z.object({
  authEnabled: z.boolean(),
  /** null when auth is off or nobody is signed in. */
  user: z.object({ id: z.string(), username: z.string(), isAdmin: z.boolean() }).nullable(),
  /** The caller's role per project slug (an instance admin is owner of every project besides these). */
  roles: z.record(z.string(), ProjectRole),
  /** Set when signed in with an API key: the key's project and scopes bound everything. */
  projectId: z.string().nullable(),
  projectSlug: z.string().nullable(),
  scopes: z.array(ApiKeyScope),
  via: z.enum(["off", "apiKey", "session", "none"]),
});
export type Viewer = z.infer<typeof Viewer>;
