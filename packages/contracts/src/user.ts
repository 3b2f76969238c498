import { z } from "zod";
import { ProjectSlug } from "./common";

export const ProjectRole = z.enum(["viewer", "editor", "owner"], { error: "expected one of 'viewer', 'editor', 'owner'" });
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Username = z
  .string({ error: "expected a username (string)" })
  .trim()
  .min(2, { error: "expected at least 2 characters" })
  .max(64, { error: "expected at most 64 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/, { error: "expected letters, digits, '.', '_', '@', '+' or '-' (a name or an email)" });

export const MIN_PASSWORD_LENGTH = 10;
export const Password = z
  .string({ error: "expected a password (string)" })
  .min(MIN_PASSWORD_LENGTH, { error: `expected at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(512, { error: "expected at most 512 characters" });

export const User = z.object({
  id: z.string(),
  username: z.string(),
  isAdmin: z.boolean(),
  disabledAt: z.date().nullable(),
  createdAt: z.date(),
});
export type User = z.infer<typeof User>;

export const UserCreateInput = z.object({
  username: Username,
  /** Omitted: a random one-time password is generated and returned once. */
  password: Password.optional(),
  isAdmin: z.boolean().optional(),
});
export type UserCreateInput = z.infer<typeof UserCreateInput>;

/** The password is in the output only when the server generated it. */
export const UserWithPassword = User.extend({ password: z.string().nullable() });
export type UserWithPassword = z.infer<typeof UserWithPassword>;

export const UsernameInput = z.object({ username: Username });
export type UsernameInput = z.infer<typeof UsernameInput>;

export const UserResetPasswordInput = z.object({ username: Username, password: Password.optional() });
export type UserResetPasswordInput = z.infer<typeof UserResetPasswordInput>;

export const Member = z.object({ userId: z.string(), username: z.string(), role: ProjectRole, disabled: z.boolean(), createdAt: z.date() });
export type Member = z.infer<typeof Member>;

export const MemberSetInput = z.object({ project: ProjectSlug, username: Username, role: ProjectRole });
export type MemberSetInput = z.infer<typeof MemberSetInput>;

export const MemberRemoveInput = z.object({ project: ProjectSlug, username: Username });
export type MemberRemoveInput = z.infer<typeof MemberRemoveInput>;

export const SessionInfo = z.object({
  id: z.string(),
  current: z.boolean(),
  via: z.enum(["password", "apiKey"]),
  userAgent: z.string(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
