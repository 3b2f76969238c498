"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { ThemeToggle } from "./theme-toggle";

export function TopBar() {
  const params = useParams<{ project?: string }>();
  const pathname = usePathname();
  const project = params.project;
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.session.me.queryOptions(), staleTime: 60_000 }).data;
  const links = project
    ? [
        { href: `/p/${project}`, label: "Runs" },
        { href: `/p/${project}/impact`, label: "Factor impact" },
        { href: `/p/${project}/ablation`, label: "Ablation" },
        { href: `/p/${project}/keys`, label: "API keys" },
      ]
    : [];
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        finetrack
      </Link>
      <nav aria-label="Main">
        <Link href="/" aria-current={pathname === "/" ? "page" : undefined}>
          Projects
        </Link>
        {project && <span className="muted">/ {project}</span>}
        {links.map((l) => (
          <Link key={l.href} href={l.href} aria-current={pathname === l.href ? "page" : undefined}>
            {l.label}
          </Link>
        ))}
        <Link href="/docs/api" aria-current={pathname === "/docs/api" ? "page" : undefined}>
          API
        </Link>
      </nav>
      <Link href="/sign-in" data-testid="viewer">
        {me?.via === "session" || me?.via === "apiKey" ? `Signed in · ${me.projectSlug}` : me?.authEnabled === false ? "Auth off" : "Sign in"}
      </Link>
      <ThemeToggle />
    </header>
  );
}
