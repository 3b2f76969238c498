import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/**
 * The projects of the given runs, for access checks before anything is read or written.
 * An unknown run is NOT_FOUND, or BAD_REQUEST when it is a reference inside a write (`field`).
 */
export async function getRunProjects(
  db: Db,
  ids: string[],
  options: { field?: string; code?: "NOT_FOUND" | "BAD_REQUEST" } = {},
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const { rows } = await db.pool.query<{ id: string; projectId: string }>(`SELECT "id", "projectId" FROM "Run" WHERE "id" = ANY($1::text[])`, [unique]);
  const byId = new Map(rows.map((r) => [r.id, r.projectId]));
  const missing = unique.findIndex((id) => !byId.has(id));
  if (missing >= 0) {
    const id = unique[missing];
    const field = options.field ?? "id";
    const position = ids.length > 1 ? `${field}[${ids.indexOf(id)}]` : field;
    throw new AppError(
      options.code ?? "NOT_FOUND",
      options.code === "BAD_REQUEST" ? `expected an existing run id, got '${id}'; create the run with run.create first` : `run '${id}' not found`,
      { field: position },
    );
  }
  return byId;
}
