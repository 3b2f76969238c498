import { z } from "zod";
import { Id, Name, PageInput, ProjectSlug } from "./common";

export const ApiKeyScope = z.enum(["read", "write", "admin"], {
  error: "expected one of 'read', 'write', 'admin'",
});
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const KeyCreateInput = z.object({
  project: ProjectSlug,
  name: Name,
  scopes: z.array(ApiKeyScope).min(1, { error: "expected at least one scope" }),
  /** After this time the key is refused. */
  expiresAt: z.coerce.date({ error: "expected a date (ISO 8601 or a Date)" }).optional(),
});
export type KeyCreateInput = z.infer<typeof KeyCreateInput>;

export const KeyListInput = z.object({ project: ProjectSlug, ...PageInput });

/** The caller's own keys, across projects (the account page). */
export const KeyListMineInput = z.object({}).optional();
export type KeyListInput = z.infer<typeof KeyListInput>;

export const KeyRevokeInput = z.object({ id: Id });
export type KeyRevokeInput = z.infer<typeof KeyRevokeInput>;

export const ApiKey = z.object({
  id: z.string(),
  projectId: z.string(),
  projectSlug: z.string(),
  username: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ApiKeyScope),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** The secret is returned once, at creation; only its SHA-256 is stored. */
export const KeyCreateOutput = ApiKey.extend({ secret: z.string() });
export type KeyCreateOutput = z.infer<typeof KeyCreateOutput>;
