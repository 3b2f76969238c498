import { statSync } from "node:fs";
import { finetrackHome, listSpooledRuns, spoolPaths, syncSpool } from "@finetrack/sdk";
import { Command } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";

/** `finetrack sync`: uploads runs logged offline or while the server was unreachable. */
export function syncCommand(): Command {
  return withConnection(new Command("sync").description("upload spooled runs (offline mode, or logged while the server was down)"))
    .argument("[runIds...]", "only these runs (default: every spooled run)")
    .option("--list", "only list the spooled runs")
    .action(async (runIds: string[], flags: ConnectionFlags & { list?: boolean }) => {
      if (flags.list) {
        const home = finetrackHome();
        for (const runId of listSpooledRuns(home)) process.stdout.write(`${runId}\t${statSync(spoolPaths(home, runId).file).size} bytes\n`);
        return;
      }
      const results = await syncSpool({
        url: flags.url,
        apiKey: flags.apiKey,
        runIds: runIds.length > 0 ? runIds : undefined,
        onRun: (run) => {
          const rejected = run.rejected > 0 ? `; ${run.rejected} refused by the server, kept in ${spoolPaths(finetrackHome(), run.runId).rejected}` : "";
          const what = run.outcome === "uploaded" ? `uploaded ${run.points} points in ${run.records} records${rejected}` : `${run.outcome}: ${run.detail}`;
          process.stdout.write(`${run.runId}: ${what}\n`);
        },
      });
      if (results.length === 0) process.stdout.write("nothing to sync\n");
      if (results.some((r) => r.outcome === "failed")) process.exitCode = 1;
    });
}
