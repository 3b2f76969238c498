import { resolveRuns, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/**
 * Where bare run ids are looked up (run ids are unique per project, not globally): `projectIds`
 * the projects to search (undefined: every project). `field` names the input holding the ids.
 */
export type RunScope = { field?: string; code?: "NOT_FOUND" | "BAD_REQUEST"; projectIds?: readonly string[] };

/**
 * The given runs (id → seq, project, status), for access checks before anything is read or written.
 * An unknown run is NOT_FOUND, or BAD_REQUEST when it is a reference inside a write (`field`); an id
 * held by several projects of the scope is a BAD_REQUEST asking for `project`.
 * `known`: runs the request already resolved (the authorization middleware's), so none is looked up twice.
 */
export async function getRunProjects(db: Db, ids: string[], options: RunScope = {}, known?: Map<string, ResolvedRun>): Promise<Map<string, ResolvedRun>> {
  if (known && ids.every((id) => known.has(id))) return known;
  const found = pickRuns(await resolveRuns(db.pool, ids, options.projectIds), ids, options);
  requireRuns(found, ids, options);
  return found;
}

/** The runs of `ids` by id; an id found in more than one project is refused (the caller must name one). */
export function pickRuns(rows: ResolvedRun[], ids: string[], options: RunScope = {}): Map<string, ResolvedRun> {
  const found = new Map<string, ResolvedRun>();
  for (const row of rows) {
    if (!found.has(row.id)) {
      found.set(row.id, row);
      continue;
    }
    throw new AppError(
      "BAD_REQUEST",
      `run id '${row.id}' exists in more than one project you can read; name the project with 'project' (its slug)`,
      { field: fieldAt(options.field ?? "id", ids, row.id) },
    );
  }
  return found;
}

/** Throws for the first of `ids` missing from `found`, naming it at its position in `ids`. */
export function requireRuns(found: Map<string, ResolvedRun>, ids: string[], options: RunScope = {}): void {
  const missing = ids.find((id) => !found.has(id));
  if (missing === undefined) return;
  throw new AppError(
    options.code ?? "NOT_FOUND",
    options.code === "BAD_REQUEST" ? `expected an existing run id, got '${missing}'; create the run with run.create first` : `run '${missing}' not found`,
    { field: fieldAt(options.field ?? "id", ids, missing) },
  );
}

function fieldAt(field: string, ids: string[], id: string): string {
  return ids.length > 1 ? `${field}[${ids.indexOf(id)}]` : field;
}
