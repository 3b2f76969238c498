import type { Db } from "@finetrack/db";
import { listProjects } from "../project/list-projects";

export type ProjectActivity = {
  id: string;
  slug: string;
  name: string;
  description: string;
  runCount: number;
  runningCount: number;
  /** Latest run creation, update or heartbeat; null for a project without runs. */
  lastActivityAt: Date | null;
};

/** Projects (all, or `onlyIds`) with their run counts and when a run last changed. */
export async function listProjectActivity(db: Db, options: { onlyIds?: string[] } = {}): Promise<ProjectActivity[]> {
  const projects = await listProjects(db, options);
  if (!projects.length) return [];
  const { rows } = await db.pool.query<{ projectId: string; runs: number; running: number; last: Date | null }>(
    `SELECT "projectId", count(*)::int AS runs, count(*) FILTER (WHERE "status" = 'running')::int AS running,
            max(GREATEST("updatedAt", "createdAt", COALESCE("heartbeatAt", "createdAt"))) AS last
     FROM "Run" WHERE "projectId" = ANY($1::text[]) GROUP BY "projectId"`,
    [projects.map((p) => p.id)],
  );
  const byProject = new Map(rows.map((r) => [r.projectId, r]));
  return projects.map((p) => {
    const a = byProject.get(p.id);
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      description: p.description,
      runCount: a?.runs ?? 0,
      runningCount: a?.running ?? 0,
      lastActivityAt: a?.last ?? null,
    };
  });
}
