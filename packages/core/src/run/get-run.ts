import type { Run } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { runInclude, toRun } from "./to-run";

export async function getRun(db: Db, id: string): Promise<Run> {
  const row = await db.prisma.run.findUnique({ where: { id }, include: runInclude });
  if (!row) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" });
  return toRun(row);
}
