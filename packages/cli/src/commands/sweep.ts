import type { SweepEvent } from "@finetrack/trainer/sweep";
import { Command } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";
import { formatDuration } from "../progress-bar";
import { collectSet } from "./train";

type SweepFlags = ConnectionFlags & { config: string; set: string[]; parallel: string; offline?: boolean; cacheDir?: string; dryRun?: boolean };

/** `finetrack sweep -c sweep.yaml [--parallel N]`: grid or random search, every run in one group. */
export function sweepCommand(): Command {
  return withConnection(new Command("sweep").description("run a grid or random sweep over config keys x seeds (runs share a group)"))
    .requiredOption("-c, --config <file>", "sweep YAML (see packages/trainer/configs/sweeps)")
    .option("--set <key=value>", "override a key of every run's config (repeatable)", collectSet, [])
    .option("-p, --parallel <n>", "local worker processes", "1")
    .option("--offline", "log to the local spool only")
    .option("--cache-dir <dir>", "where zoo base models are cached")
    .option("--dry-run", "print the expanded runs and exit")
    .action(async (flags: SweepFlags) => {
      const parallel = Number(flags.parallel);
      if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`--parallel: expected a positive integer, got '${flags.parallel}'`);
      const { loadSweep, runSweep } = await import("@finetrack/trainer/sweep");
      const expanded = loadSweep(flags.config, flags.set);
      const out = process.stdout;
      out.write(`sweep '${expanded.sweep.name}': ${expanded.jobs.length} runs in group ${expanded.group}, ${parallel} worker(s)\n`);
      if (flags.dryRun) {
        for (const j of expanded.jobs) out.write(`  ${String(j.index).padStart(3)} ${j.config.run_name}\n`);
        return;
      }
      const started = performance.now();
      let finished = 0;
      const abort = new AbortController();
      const onSigint = () => {
        out.write("interrupted: no new runs will start\n");
        abort.abort();
      };
      process.once("SIGINT", onSigint);
      const progressAt = new Map<number, number>();
      const onEvent = (e: SweepEvent) => {
        const tag = e.index >= 0 ? `[${e.index + 1}/${expanded.jobs.length} w${e.worker}]` : `[w${e.worker}]`;
        if (e.type === "start") out.write(`${tag} start ${e.name}\n`);
        if (e.type === "status") out.write(`${tag} ${e.message}\n`);
        if (e.type === "step") {
          const decile = Math.floor((10 * e.step) / Math.max(1, e.totalSteps));
          if (decile !== progressAt.get(e.index) && decile % 5 === 0) out.write(`${tag} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)}\n`);
          progressAt.set(e.index, decile);
        }
        if (e.type === "done" || e.type === "failed") {
          finished++;
          const elapsed = performance.now() - started;
          const eta = formatDuration((elapsed / finished) * (expanded.jobs.length - finished));
          const what = e.type === "done" ? `done best_val_loss ${Number(e.outcome.summary.best_val_loss ?? e.outcome.summary.cv_best_val_loss_mean).toFixed(4)}` : `FAILED: ${e.error}`;
          out.write(`${tag} ${what} (${finished}/${expanded.jobs.length}, sweep ETA ${eta})\n`);
        }
      };
      try {
        const result = await runSweep(expanded, {
          parallel,
          cacheDir: flags.cacheDir,
          tracking: { url: flags.url, apiKey: flags.apiKey, mode: flags.offline ? "offline" : undefined },
          onEvent,
          signal: abort.signal,
        });
        const failed = result.results.filter((r) => r.status === "failed");
        out.write(`sweep done in ${formatDuration(result.wallTimeMs)}: ${result.results.length - failed.length} finished, ${failed.length} failed, group ${result.group}\n`);
        for (const f of failed) out.write(`  failed: ${f.name}: ${f.error}\n`);
        if (failed.length || result.results.length < expanded.jobs.length) process.exitCode = 1;
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
}
