import { syncSpool } from "@finetrack/sdk";
import { Command } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";

/** `finetrack sync`: uploads runs logged offline or while the server was unreachable. */
export function syncCommand(): Command {
  return withConnection(new Command("sync").description("upload spooled runs (offline mode, or logged while the server was down)"))
    .argument("[runIds...]", "only these runs (default: every spooled run)")
    .action(async (runIds: string[], flags: ConnectionFlags) => {
      const results = await syncSpool({
        url: flags.url,
        apiKey: flags.apiKey,
        runIds: runIds.length > 0 ? runIds : undefined,
        onRun: (run) => {
          const what = run.outcome === "uploaded" ? `uploaded ${run.points} points in ${run.records} records` : `${run.outcome}: ${run.detail}`;
          process.stdout.write(`${run.runId}: ${what}\n`);
        },
      });
      if (results.length === 0) process.stdout.write("nothing to sync\n");
      if (results.some((r) => r.outcome === "failed")) process.exitCode = 1;
    });
}
