"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useViewer } from "@/lib/viewer";
import { ThemeToggle } from "./theme-toggle";

export function TopBar() {
  const params = useParams<{ project?: string }>();
  const pathname = usePathname();
  const project = params.project;
  const me = useViewer();
  const links = project
    ? [
        { href: `/p/${project}`, label: "Runs" },
        { href: `/p/${project}/impact`, label: "Factor impact" },
        { href: `/p/${project}/ablation`, label: "Ablation" },
        { href: `/p/${project}/sweeps`, label: "Sweeps" },
        { href: `/p/${project}/members`, label: "Members" },
        { href: `/p/${project}/keys`, label: "API keys" },
      ]
    : [];
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          finetrack
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={pathname === "/" ? "page" : undefined}>
            Projects
          </Link>
          {project && <span className="muted">/ {project}</span>}
          {me?.user?.isAdmin && !project && (
            <Link href="/users" aria-current={pathname === "/users" ? "page" : undefined}>
              Users
            </Link>
          )}
          {links.map((l) => (
            <Link key={l.href} href={l.href} aria-current={pathname === l.href ? "page" : undefined}>
              {l.label}
            </Link>
          ))}
          <Link href="/docs/api" aria-current={pathname === "/docs/api" ? "page" : undefined}>
            API
          </Link>
        </nav>
        <Link href={me?.user ? "/account" : "/sign-in"} data-testid="viewer">
          {me?.user ? `Signed in · ${me.user.username}${me.projectSlug ? ` (key: ${me.projectSlug})` : ""}` : me?.authEnabled === false ? "Auth off" : "Sign in"}
        </Link>
        <ThemeToggle />
      </header>
      {me?.authEnabled === false && (
        <div role="status" data-testid="auth-off-banner" className="state error" style={{ margin: "8px 16px 0" }}>
          <strong>Authentication is off</strong> (FINETRACK_AUTH=off): anyone who can reach this server can read and change every project.
        </div>
      )}
    </>
  );
}
