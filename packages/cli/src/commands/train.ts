import { Command, Option } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";
import { createProgressBar } from "../progress-bar";

type TrainFlags = ConnectionFlags & { config: string; set: string[]; offline?: boolean; cacheDir?: string; backend?: string; progress: boolean };

export const collectSet = (value: string, previous: string[]) => [...previous, value];

/** `finetrack train -c config.yaml [--set key=value ...]`: one fine-tuning run (or k-fold CV), logged. */
export function trainCommand(): Command {
  return withConnection(new Command("train").description("fine-tune a base model from a YAML config and log the run"))
    .requiredOption("-c, --config <file>", "YAML config (see packages/trainer/configs)")
    .option("--set <key=value>", "override a config key (repeatable; dotted keys for nested, e.g. augmentation.rate=0.2)", collectSet, [])
    .addOption(new Option("--backend <name>", "tfjs backend (default: tensorflow if installed, else wasm, else cpu)").choices(["tensorflow", "wasm", "cpu"]))
    .option("--offline", "log to the local spool only (upload later with `finetrack sync`)")
    .option("--cache-dir <dir>", "where zoo base models are cached (default .finetrack/models)")
    .option("--no-progress", "no progress bar")
    .action(async (flags: TrainFlags) => {
      // Loaded on use: tfjs takes seconds to import and the other commands do not need it.
      const { loadTrainConfig } = await import("@finetrack/trainer/config");
      const { runConfig } = await import("@finetrack/trainer/run");
      const sets = flags.backend ? [...flags.set, `backend=${flags.backend}`] : flags.set;
      const config = loadTrainConfig(flags.config, sets);
      const bar = createProgressBar();
      const abort = new AbortController();
      const onSigint = () => {
        bar.log("interrupted: stopping after this step (Ctrl-C again to quit now)");
        process.off("SIGINT", onSigint);
        abort.abort();
      };
      process.on("SIGINT", onSigint);
      try {
        const outcome = await runConfig(config, {
          tracking: { url: flags.url, apiKey: flags.apiKey, mode: flags.offline ? "offline" : undefined },
          cacheDir: flags.cacheDir,
          signal: abort.signal,
          onStatus: (m) => bar.log(m),
          onStep: (m) => flags.progress && bar.update({ step: m.step, total: m.total_steps, loss: m.loss }),
          onEval: (m) =>
            bar.log(`eval step ${m.step}: train/loss ${m["train/loss"].toFixed(4)}  val/loss ${m["val/loss"].toFixed(4)}  val/accuracy ${m["val/accuracy"].toFixed(3)}  ${Math.round(m.tokens_per_sec)} tok/s`),
        });
        bar.done();
        process.stdout.write(`run ${outcome.runId} finished (project ${config.project})\n`);
        for (const [k, v] of Object.entries(outcome.summary)) process.stdout.write(`  ${k.padEnd(26)} ${typeof v === "number" ? +v.toPrecision(6) : v}\n`);
      } finally {
        process.off("SIGINT", onSigint);
        bar.done();
      }
    });
}
