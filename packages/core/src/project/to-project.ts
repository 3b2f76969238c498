import type { Project } from "@finetrack/contracts";

export const projectSelect = { id: true, slug: true, name: true, description: true, createdAt: true, updatedAt: true } as const;

export function toProject(row: Project): Project {
  return { id: row.id, slug: row.slug, name: row.name, description: row.description, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
