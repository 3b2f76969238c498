import { statSync } from "node:fs";
import { finetrackHome, listSpooledRuns, spoolPaths, syncSpool, type SyncedRun } from "@finetrack/sdk";
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
          for (const line of run.corrupt) process.stderr.write(`${run.runId}: unreadable line ${line.line} at byte ${line.byteOffset} of ${line.file} (${line.reason}); set aside in ${run.corruptFile}\n`);
          process.stdout.write(`${run.runId}: ${describeRun(run)}\n`);
        },
      });
      if (results.length === 0) process.stdout.write("nothing to sync\n");
      const refused = results.reduce((n, r) => n + r.rejected, 0);
      if (refused > 0) process.stderr.write(`${refused} point(s) refused by the server; the reasons are in the .rejected.jsonl files named above\n`);
      // Anything refused, unreadable or not sent is a failure a script must see.
      if (results.some((r) => r.outcome === "failed" || r.outcome === "partial")) process.exitCode = 1;
    });
}

function describeRun(run: SyncedRun): string {
  if (run.outcome === "skipped" || run.outcome === "failed") return `${run.outcome}: ${run.detail}`;
  const sent = `${run.points - run.rejected} points stored in ${run.records} records`;
  if (run.outcome === "uploaded") return `uploaded: ${sent}`;
  const problems = [
    run.rejected > 0 ? `${run.rejected} point(s) refused` : "",
    run.rejectedRecords > 0 ? `${run.rejectedRecords} other record(s) refused` : "",
    run.rejected + run.rejectedRecords > 0 ? `kept with the reasons in ${run.rejectedFile}` : "",
    run.corrupt.length > 0 ? `${run.corrupt.length} unreadable line(s) set aside in ${run.corruptFile}` : "",
  ].filter(Boolean);
  return `incomplete: ${sent}; ${problems.join("; ")}`;
}
