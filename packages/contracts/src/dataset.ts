import { z } from "zod";
import { Name, ProjectSlug, text } from "./common";

const Size = z.number({ error: "expected a number of examples" }).int({ error: "expected an integer" }).nonnegative({ error: "expected a non-negative integer" }).max(2_147_483_647);

/** A dataset as a run or the SDK describes it; the project comes from the context. */
export const DatasetFields = z.object({
  name: Name,
  version: text().min(1).max(128).optional(),
  contentHash: text().min(1).max(128).optional(),
  trainSize: Size.optional(),
  validationSize: Size.optional(),
  testSize: Size.optional(),
  source: text().max(2_000).optional(),
  description: text().max(10_000).optional(),
});
export type DatasetFields = z.infer<typeof DatasetFields>;

export const DatasetUpsertInput = DatasetFields.extend({ project: ProjectSlug });
export type DatasetUpsertInput = z.infer<typeof DatasetUpsertInput>;

export const Dataset = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  version: z.string(),
  contentHash: z.string().nullable(),
  trainSize: z.number().nullable(),
  validationSize: z.number().nullable(),
  testSize: z.number().nullable(),
  source: z.string().nullable(),
  description: z.string(),
  createdAt: z.date(),
});
export type Dataset = z.infer<typeof Dataset>;
