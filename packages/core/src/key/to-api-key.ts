import type { ApiKey } from "@finetrack/contracts";

export const apiKeySelect = {
  id: true, projectId: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true,
  project: { select: { slug: true } },
  user: { select: { username: true } },
} as const;

type Row = Omit<ApiKey, "projectSlug" | "username"> & { project: { slug: string }; user: { username: string } };

export function toApiKey({ project, user, ...key }: Row): ApiKey {
  return { ...key, projectSlug: project.slug, username: user.username };
}
