import { Command } from "commander";
import { exportCommand } from "./commands/export";
import { keysCommand } from "./commands/keys";
import { serverCommand } from "./commands/server";
import { syncCommand } from "./commands/sync";
import { trainCommand } from "./commands/train";
import { sweepCommand } from "./commands/sweep";
import { pretrainCommand } from "./commands/pretrain";

/** Every `finetrack` command; each module returns a commander Command. */
const commands: Array<() => Command> = [serverCommand, keysCommand, syncCommand, exportCommand, trainCommand, sweepCommand, pretrainCommand];

const program = new Command("finetrack")
  .description("Self-hosted experiment tracking for fine-tuning runs")
  .version("0.1.0")
  .showHelpAfterError();
for (const make of commands) program.addCommand(make());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`finetrack: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
