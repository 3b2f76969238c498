"use client";
import { useEffect, type ReactNode } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useViewer } from "@/lib/viewer";
import { Loading } from "./states";

/**
 * Project pages need a session (unless auth is off): signed out, the browser goes to
 * /sign-in?next=<this page> instead of seeing forms that cannot work. The page renders while the
 * viewer is being asked for, so a signed-in load waits for nothing extra.
 */
export function SignedInGuard({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const router = useRouter();
  const pathname = usePathname();
  const signedOut = viewer !== undefined && viewer.authEnabled && viewer.via === "none";
  useEffect(() => {
    // The address as typed (window.location keeps `runs=a,b` unescaped), to come back to after sign-in.
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(pathname + window.location.search)}`);
  }, [signedOut, pathname, router]);
  if (signedOut) return <Loading what="the sign-in page" />;
  return <>{children}</>;
}
