import type { ReactNode } from "react";
import { SignedInGuard } from "@/components/signed-in-guard";

export default function ProjectLayout({ children }: { children: ReactNode }) {
  return <SignedInGuard>{children}</SignedInGuard>;
}
