// Generates the Prisma client offline. Prisma 7's CLI wants a schema-engine binary even for
// `generate`, which never uses it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// stops it from trying to download one (no internet here, nor in many air-gapped installs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "packages/db/package.json"));
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.log("prisma-generate: prisma CLI not installed yet, skipping");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const r = spawnSync(process.execPath, [cli, "generate", "--schema", path.join(root, "prisma/schema.prisma")], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
