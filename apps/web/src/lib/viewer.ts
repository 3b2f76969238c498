"use client";
import type { Viewer } from "@finetrack/contracts";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

export type Role = "viewer" | "editor" | "owner";

/** Who is signed in (cached for a minute; sign-in and sign-out clear the cache). */
export function useViewer(): Viewer | undefined {
  const trpc = useTRPC();
  return useQuery({ ...trpc.session.me.queryOptions(), staleTime: 60_000 }).data;
}

/** The caller's role in a project: owner everywhere with auth off or for an instance admin (unless a key bounds it). */
export function roleOf(viewer: Viewer | undefined, slug: string): Role | null {
  if (!viewer) return null;
  if (!viewer.authEnabled) return "owner";
  if (viewer.user?.isAdmin && !viewer.projectSlug) return "owner";
  return viewer.roles[slug] ?? null;
}

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

export function atLeast(role: Role | null, needed: Role): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}
