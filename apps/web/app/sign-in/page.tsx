import { SignInForm } from "@/components/sign-in-form";
import { safeNext } from "@/lib/safe-next";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInForm next={safeNext(typeof next === "string" ? next : null)} />;
}
