import { z } from "zod";
import { Name, PageInput, ProjectSlug, text } from "./common";

export const ProjectCreateInput = z.object({
  slug: ProjectSlug,
  name: Name,
  description: text().max(10_000).optional(),
});
export type ProjectCreateInput = z.infer<typeof ProjectCreateInput>;

export const ProjectGetInput = z.object({ slug: ProjectSlug });

/** Projects by slug; without input, the first MAX_PAGE_ITEMS. */
export const ProjectListInput = z.object(PageInput).nullish();
export type ProjectListInput = z.infer<typeof ProjectListInput>;
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
