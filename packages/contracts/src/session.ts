import { z } from "zod";
import { ApiKeyScope } from "./key";

export const SESSION_COOKIE = "finetrack_session";

export const SessionSignInInput = z.object({
  apiKey: z.string({ error: "expected an API key (string)" }).min(1, { error: "expected a non-empty API key" }).max(200),
});
export type SessionSignInInput = z.infer<typeof SessionSignInInput>;

export const Viewer = z.object({
  authEnabled: z.boolean(),
  projectId: z.string().nullable(),
  projectSlug: z.string().nullable(),
  scopes: z.array(ApiKeyScope),
  via: z.enum(["off", "apiKey", "session", "none"]),
});
export type Viewer = z.infer<typeof Viewer>;
