import { z } from "zod";
import { Name, ProjectSlug, text } from "./common";

export const ProjectCreateInput = z.object({
  slug: ProjectSlug,
  name: Name,
  description: text().max(10_000).optional(),
});
export type ProjectCreateInput = z.infer<typeof ProjectCreateInput>;

export const ProjectGetInput = z.object({ slug: ProjectSlug });
export type ProjectGetInput = z.infer<typeof ProjectGetInput>;

export const Project = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Project = z.infer<typeof Project>;
