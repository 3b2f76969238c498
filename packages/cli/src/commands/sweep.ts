import type { ExpandedSweep, SweepEvent } from "@finetrack/trainer/sweep";
import { formatDurationMs } from "@finetrack/contracts";
import { Command } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { positiveInt } from "../positive-int";
import { collectSet } from "./train";

type SweepFlags = ConnectionFlags & { config: string; set: string[]; parallel: string; offline?: boolean; cacheDir?: string; dryRun?: boolean; queue?: boolean };

/** `finetrack sweep -c sweep.yaml [--parallel N]`: grid or random search, every run in one group. */
export function sweepCommand(): Command {
  return withConnection(new Command("sweep").description("run a grid or random sweep over config keys x seeds (runs share a group)"))
    .requiredOption("-c, --config <file>", "sweep YAML (see packages/trainer/configs/sweeps)")
    .option("--set <key=value>", "override a key of every run's config (repeatable)", collectSet, [])
    .option("-p, --parallel <n>", "local worker processes", "1")
    .option("--offline", "log to the local spool only")
    .option("--cache-dir <dir>", "where zoo base models are cached")
    .option("--dry-run", "print the expanded runs and exit")
    .option("--queue", "record the sweep on the server and queue its trials for `finetrack agent` (any machine)")
    .action(async (flags: SweepFlags) => {
      const parallel = positiveInt("--parallel", flags.parallel);
      const { loadSweep, runSweep } = await import("@finetrack/trainer/sweep");
      const expanded = loadSweep(flags.config, flags.set);
      const out = process.stdout;
      for (const note of expanded.notes) out.write(`${note}\n`);
      if (flags.queue) return queueSweep(expanded, flags);
      if (expanded.sweep.command || expanded.sweep.method === "tpe") throw new Error(`${flags.config}: a ${expanded.sweep.command ? "command" : "tpe"} sweep runs on agents: add --queue, then start \`finetrack agent <sweep id>\``);
      out.write(`sweep '${expanded.sweep.name}': ${expanded.jobs.length} runs in group ${expanded.group}, ${parallel} worker(s)\n`);
      if (flags.dryRun) {
        for (const j of expanded.jobs) out.write(`  ${String(j.index).padStart(3)} ${j.config.run_name}\n`);
        return;
      }
      const startedMs = performance.now();
      let finished = 0;
      const abort = new AbortController();
      let started = false;
      let interrupts = 0;
      const onSigint = () => {
        // Building base models (or a second Ctrl-C): nothing worth finishing, stop now.
        if (!started || ++interrupts > 1) {
          out.write("interrupted\n");
          process.exit(130);
        }
        out.write("interrupted: stopping the running runs (Ctrl-C again to quit now)\n");
        abort.abort();
      };
      process.on("SIGINT", onSigint);
      const progressAt = new Map<number, number>();
      const onEvent = (e: SweepEvent) => {
        const tag = e.index >= 0 ? `[${e.index + 1}/${expanded.jobs.length} w${e.worker}]` : `[w${e.worker}]`;
        if (e.type === "start") {
          started = true;
          out.write(`${tag} start ${e.name}\n`);
        }
        if (e.type === "status") out.write(`${tag} ${e.message}\n`);
        if (e.type === "step") {
          const decile = Math.floor((10 * e.step) / Math.max(1, e.totalSteps));
          if (decile !== progressAt.get(e.index) && decile % 5 === 0) out.write(`${tag} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)}\n`);
          progressAt.set(e.index, decile);
        }
        if (e.type === "done" || e.type === "failed") {
          finished++;
          const elapsed = performance.now() - startedMs;
          const eta = formatDurationMs((elapsed / finished) * (expanded.jobs.length - finished)) || "?";
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
        out.write(`sweep done in ${formatDurationMs(result.wallTimeMs)}: ${result.results.length - failed.length} finished, ${failed.length} failed, group ${result.group}\n`);
        for (const f of failed) out.write(`  failed: ${f.name}: ${f.error}\n`);
        if (failed.length || result.results.length < expanded.jobs.length) process.exitCode = 1;
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
}

/** `--queue`: the server records the sweep and queues its trials; agents on any machine run them. */
async function queueSweep(expanded: ExpandedSweep, flags: SweepFlags): Promise<void> {
  const { sweep, group, base, assignments } = expanded;
  const { client, defaultProject } = connect(flags);
  const project = sweep.project ?? (typeof base.project === "string" ? base.project : defaultProject);
  const parameters = Object.fromEntries(Object.entries(sweep.parameters).map(([k, p]) => [k, Array.isArray(p) ? { values: p } : p]));
  const spec = dropUndefined({
    name: sweep.name,
    group,
    method: sweep.method,
    parameters,
    seeds: sweep.seeds,
    command: sweep.command,
    trainer: sweep.command ? undefined : { ...base, project },
    metric: sweep.metric,
    retries: sweep.retries,
    heartbeatIntervalS: sweep.heartbeat_interval_s,
    heartbeatTimeoutS: sweep.heartbeat_timeout_s,
    earlyTerminate: sweep.early_terminate && { type: "median" as const, minStep: sweep.early_terminate.min_step, minTrials: sweep.early_terminate.min_trials },
    count: sweep.method === "tpe" ? sweep.count : undefined,
    startupTrials: sweep.startup_trials,
    sweepSeed: sweep.sweep_seed,
  });
  const created = await client.sweep.create.mutate({ project, spec: spec as never, trials: sweep.method === "tpe" ? undefined : assignments });
  const out = process.stdout;
  out.write(`sweep ${created.id}: ${created.trialCount} trial(s) queued in project '${project}', group ${group}\n`);
  out.write(`start an agent on each machine (same server URL and an API key):\n  finetrack agent ${created.id} --project ${project}\n`);
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
