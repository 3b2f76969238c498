import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const DbEnv = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL").optional(),
  /** Where the embedded Postgres keeps its data; project-local by default. */
  FINETRACK_DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".finetrack")),
  FINETRACK_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Set by the test global setup: the test cluster's superuser URL and its app role's URL. */
  FINETRACK_TEST_PG_URL: z.string().optional(),
  FINETRACK_TEST_PG_APP_URL: z.string().optional(),
  FINETRACK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type DbEnv = z.infer<typeof DbEnv>;

export function readDbEnv(): DbEnv {
  const parsed = DbEnv.safeParse(process.env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid environment: ${first.path.join(".")}: ${first.message}`);
  }
  return { ...parsed.data, DATABASE_URL: parsed.data.DATABASE_URL || undefined };
}

export const paths = {
  repoRoot,
  migrationsDir: path.join(repoRoot, "prisma", "migrations"),
  schemaFile: path.join(repoRoot, "prisma", "schema.prisma"),
};
