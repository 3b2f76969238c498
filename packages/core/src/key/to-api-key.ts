export const apiKeySelect = {
  id: true, projectId: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true,
} as const;
