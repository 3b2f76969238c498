"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useState, type ComponentProps } from "react";
import { useViewer } from "@/lib/viewer";
import { ThemeToggle } from "./theme-toggle";

/**
 * Prefetches its page on hover or focus, not when it comes into view: otherwise every page load
 * had the server render the bar's ~10 dynamic pages while the page's own data waited behind them
 * (the compare view's series request took twice as long).
 */
function NavLink(props: ComponentProps<typeof Link>) {
  const [intent, setIntent] = useState(false);
  return <Link {...props} prefetch={intent ? null : false} onMouseEnter={() => setIntent(true)} onFocus={() => setIntent(true)} />;
}

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
        <NavLink href="/" className="brand">
          finetrack
        </NavLink>
        <nav aria-label="Main">
          <NavLink href="/" aria-current={pathname === "/" ? "page" : undefined}>
            Projects
          </NavLink>
          {project && <span className="muted">/ {project}</span>}
          {me?.user?.isAdmin && !project && (
            <NavLink href="/users" aria-current={pathname === "/users" ? "page" : undefined}>
              Users
            </NavLink>
          )}
          {links.map((l) => (
            <NavLink key={l.href} href={l.href} aria-current={pathname === l.href ? "page" : undefined}>
              {l.label}
            </NavLink>
          ))}
          <NavLink href="/docs/api" aria-current={pathname === "/docs/api" ? "page" : undefined}>
            API
          </NavLink>
        </nav>
        <NavLink href={me?.user ? "/account" : "/sign-in"} data-testid="viewer">
          {me?.user ? `Signed in · ${me.user.username}${me.projectSlug ? ` (key: ${me.projectSlug})` : ""}` : me?.authEnabled === false ? "Auth off" : "Sign in"}
        </NavLink>
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
