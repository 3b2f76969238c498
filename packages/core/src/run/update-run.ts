import type { Run, RunUpdateInput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { toJsonSafe } from "../shared/json";
import { getRun } from "./get-run";

/** Sets name, tags and notes; merges config and summary keys into what is stored, atomically. */
export async function updateRun(db: Db, input: RunUpdateInput): Promise<Run> {
  const { rowCount } = await db.pool.query(
    `UPDATE "Run" SET
       "name" = COALESCE($2, "name"),
       "tags" = COALESCE($3::text[], "tags"),
       "notes" = COALESCE($4, "notes"),
       "config" = "config" || $5::jsonb,
       "summary" = "summary" || $6::jsonb,
       "updatedAt" = now()
     WHERE "id" = $1`,
    [
      input.id,
      input.name ?? null,
      input.tags ? [...new Set(input.tags)] : null,
      input.notes ?? null,
      JSON.stringify(toJsonSafe(input.config ?? {})),
      JSON.stringify(toJsonSafe(input.summary ?? {})),
    ],
  );
  if (rowCount === 0) throw new AppError("NOT_FOUND", `run '${input.id}' not found`, { field: "id" });
  return getRun(db, input.id);
}
