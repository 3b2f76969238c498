import type { Run } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { readMetricStats, runInclude, runOmit, toRun } from "./to-run";

export async function getRun(db: Db, id: string): Promise<Run> {
  const [row, stats] = await Promise.all([db.prisma.run.findUnique({ where: { id }, include: runInclude, omit: runOmit }), readMetricStats(db, [id])]);
  if (!row) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" });
  return toRun(row, stats.get(id));
}
