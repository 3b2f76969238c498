import { resolveRuns, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";

type Missing = { field?: string; code?: "NOT_FOUND" | "BAD_REQUEST" };

/**
 * The given runs (id → seq, project, status), for access checks before anything is read or written.
 * An unknown run is NOT_FOUND, or BAD_REQUEST when it is a reference inside a write (`field`).
 * `known`: runs the request already resolved (the authorization middleware's), so none is looked up twice.
 */
export async function getRunProjects(db: Db, ids: string[], options: Missing = {}, known?: Map<string, ResolvedRun>): Promise<Map<string, ResolvedRun>> {
  const found = known && ids.every((id) => known.has(id)) ? known : await resolveRuns(db.pool, ids);
  requireRuns(found, ids, options);
  return found;
}

/** Throws for the first of `ids` missing from `found`, naming it at its position in `ids`. */
export function requireRuns(found: Map<string, ResolvedRun>, ids: string[], options: Missing = {}): void {
  const missing = ids.find((id) => !found.has(id));
  if (missing === undefined) return;
  const field = options.field ?? "id";
  const position = ids.length > 1 ? `${field}[${ids.indexOf(missing)}]` : field;
  throw new AppError(
    options.code ?? "NOT_FOUND",
    options.code === "BAD_REQUEST" ? `expected an existing run id, got '${missing}'; create the run with run.create first` : `run '${missing}' not found`,
    { field: position },
  );
}
