import { Command, Option } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";
import { positiveInt } from "../positive-int";
import { createProgressBar } from "../progress-bar";

type PretrainFlags = ConnectionFlags & {
  name?: string;
  zoo?: string | boolean;
  list?: boolean;
  project: string;
  layers: string;
  width: string;
  heads: string;
  context: string;
  steps: string;
  batchSize: string;
  lr: string;
  seed: string;
  corpusChars: string;
  out: string;
  backend?: "tensorflow" | "wasm" | "cpu";
  offline?: boolean;
  cacheDir?: string;
};


/** `finetrack pretrain`: pre-trains a base model on the generated corpus (logged), or builds zoo models. */
export function pretrainCommand(): Command {
  return withConnection(new Command("pretrain").description("pre-train a base model with the causal LM loss and log the run; --zoo builds the named base models"))
    .option("--list", "list the zoo base models")
    .option("--zoo [name]", "build and cache a zoo model (all of them without a name)")
    .option("--name <name>", "name of the new base model")
    .option("--project <slug>", "project to log to", "default")
    .option("--layers <n>", "transformer blocks", "2")
    .option("--width <n>", "model width", "64")
    .option("--heads <n>", "attention heads", "4")
    .option("--context <n>", "context length in bytes", "64")
    .option("--steps <n>", "optimizer steps", "300")
    .option("--batch-size <n>", "sequences per step", "16")
    .option("--lr <x>", "learning rate", "0.003")
    .option("--seed <n>", "seed of the corpus and the initialization", "0")
    .option("--corpus-chars <n>", "size of the generated corpus", "200000")
    .option("--out <dir>", "checkpoints go to <dir>/<name>", ".finetrack/checkpoints")
    .addOption(new Option("--backend <name>", "tfjs backend").choices(["tensorflow", "wasm", "cpu"]))
    .option("--offline", "log to the local spool only")
    .option("--cache-dir <dir>", "zoo cache (with --zoo)")
    .action(async (f: PretrainFlags) => {
      const { listBaseModels, loadBaseModel, disposeModel } = await import("@finetrack/trainer");
      const { runPretraining } = await import("@finetrack/trainer/run");
      const out = process.stdout;
      if (f.list) {
        for (const m of listBaseModels()) out.write(`${m.name.padEnd(16)} ${String(m.params).padStart(9)} params  ${m.description}\n`);
        return;
      }
      const bar = createProgressBar();
      if (f.zoo !== undefined) {
        const names = typeof f.zoo === "string" ? [f.zoo] : listBaseModels().map((m) => m.name);
        for (const name of names) {
          const model = await loadBaseModel(name, { cacheDir: f.cacheDir, onProgress: (step, total, loss) => bar.update({ label: name, step, total, loss }) });
          bar.done();
          out.write(`${name}: ready (${model.pretraining ? `pretrained ${model.pretraining.steps} steps, final loss ${model.pretraining.finalLoss.toFixed(4)}` : "no pretraining record"})\n`);
          disposeModel(model);
        }
        return;
      }
      if (!f.name) throw new Error("pretrain: expected --name <name> for a new base model (or --zoo / --list)");
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort());
      const r = await runPretraining({
        project: f.project,
        name: f.name,
        layers: positiveInt("--layers", f.layers),
        width: positiveInt("--width", f.width),
        heads: positiveInt("--heads", f.heads),
        contextLength: positiveInt("--context", f.context),
        steps: positiveInt("--steps", f.steps),
        batchSize: positiveInt("--batch-size", f.batchSize),
        learningRate: Number(f.lr),
        seed: Number(f.seed),
        corpusChars: positiveInt("--corpus-chars", f.corpusChars),
        outDir: f.out,
        backend: f.backend,
        tracking: { url: f.url, apiKey: f.apiKey, mode: f.offline ? "offline" : undefined },
        onStep: (m) => bar.update({ step: m.step, total: m.total_steps, loss: m.loss }),
        signal: abort.signal,
      });
      bar.done();
      out.write(`run ${r.runId}: ${f.name} saved to ${r.checkpointDir} (${r.bytes} bytes), final loss ${r.record.finalLoss.toFixed(4)}\n`);
      out.write(`fine-tune it with base_model: ${r.checkpointDir}\n`);
    });
}
