import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI_BIN = fileURLToPath(new URL("../bin/finetrack.mjs", import.meta.url));

type Outcome = { code: number | null; stdout: string; stderr: string };

/** Runs `node <args>` as its own process (never spawnSync: the test's server lives in this process). */
export function runNode(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `finetrack <args>` the way a user would. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Outcome> {
  return runNode([CLI_BIN, ...args], env, cwd);
}
