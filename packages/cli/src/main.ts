import { Command } from "commander";
import { describeError } from "./describe-error";

/**
 * Every `finetrack` command. A module is loaded only when its command runs (or for --help), so
 * `finetrack keys` does not pay for loading TensorFlow.js.
 */
const commands: Record<string, () => Promise<Command>> = {
  server: () => import("./commands/server").then((m) => m.serverCommand()),
  keys: () => import("./commands/keys").then((m) => m.keysCommand()),
  users: () => import("./commands/users").then((m) => m.usersCommand()),
  projects: () => import("./commands/projects").then((m) => m.projectsCommand()),
  sync: () => import("./commands/sync").then((m) => m.syncCommand()),
  export: () => import("./commands/export").then((m) => m.exportCommand()),
  diagnose: () => import("./commands/diagnose").then((m) => m.diagnoseCommand()),
  import: () => import("./commands/import").then((m) => m.importCommand()),
  train: () => import("./commands/train").then((m) => m.trainCommand()),
  sweep: () => import("./commands/sweep").then((m) => m.sweepCommand()),
  agent: () => import("./commands/agent").then((m) => m.agentCommand()),
  pretrain: () => import("./commands/pretrain").then((m) => m.pretrainCommand()),
  compress: () => import("./commands/compress").then((m) => m.compressCommand()),
};

const program = new Command("finetrack")
  .description("Self-hosted experiment tracking for fine-tuning runs")
  .version("0.1.0")
  .showHelpAfterError();

try {
  const wanted = process.argv[2];
  for (const name of wanted && wanted in commands ? [wanted] : Object.keys(commands)) program.addCommand(await commands[name]());
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`finetrack: ${describeError(error)}\n`);
  process.exitCode = 1;
}
// tfjs-backend-wasm's Emscripten glue resets process.exitCode on the way out; keep the command's.
const exitCode = process.exitCode ?? 0;
process.once("exit", () => {
  process.exitCode = exitCode;
});
