import { formatNumber } from "@finetrack/contracts";
import { compressFrom, loadCompressConfig } from "@finetrack/trainer/compress";
import { Command, Option } from "commander";
import { withConnection, type ConnectionFlags } from "../connection";

type CompressFlags = ConnectionFlags & { config: string; from?: string; set: string[]; offline?: boolean; cacheDir?: string; backend?: string };

const collectSet = (value: string, previous: string[]) => [...previous, value];
/** Integers (byte counts) in full, other numbers to 5 significant digits. */
const fmt = (v: unknown) => (typeof v === "number" ? formatNumber(v) : String(v ?? ""));

/** `finetrack compress -c compress.yaml --from <run id | checkpoint>`: quantize, prune or distill a
 *  fine-tuned model; each result is logged as a child run of the fine-tune. */
export function compressCommand(): Command {
  return withConnection(new Command("compress").description("compress a fine-tuned model (PTQ, QAT, pruning, distillation); each result is a child run"))
    .requiredOption("-c, --config <file>", "YAML config with compression steps (see packages/trainer/configs/compress*.yaml)")
    .option("--from <run|checkpoint>", "the fine-tune: a run id (its model artifact) or a checkpoint directory (overrides `from:`)")
    .option("--set <key=value>", "override a config key (repeatable; dotted keys, e.g. steps.0.weights.bits=4)", collectSet, [])
    .addOption(new Option("--backend <name>", "tfjs backend (default: tensorflow if installed, else wasm, else cpu)").choices(["tensorflow", "wasm", "cpu"]))
    .option("--offline", "log to the local spool only (upload later with `finetrack sync`)")
    .option("--cache-dir <dir>", "where zoo base models (distillation students) are cached")
    .action(async (flags: CompressFlags) => {
      const sets = flags.backend ? [...flags.set, `backend=${flags.backend}`] : flags.set;
      const config = loadCompressConfig(flags.config, sets);
      const { parentRunId, results } = await compressFrom(config, {
        from: flags.from,
        tracking: { url: flags.url, apiKey: flags.apiKey, mode: flags.offline ? "offline" : undefined },
        cacheDir: flags.cacheDir,
        onStatus: (m) => process.stderr.write(`${m}\n`),
      });
      process.stdout.write(`${results.length} compression run(s)${parentRunId ? ` under ${parentRunId}` : ""}\n`);
      const cols = ["model_bytes", "compression_ratio", "val_loss", "val_loss_delta", "val_accuracy", "val_accuracy_delta"];
      process.stdout.write(["run".padEnd(14), "technique".padEnd(36), ...cols.map((c) => c.padStart(18))].join(" ") + "\n");
      for (const r of results) {
        process.stdout.write([r.runId.padEnd(14), r.name.slice(0, 36).padEnd(36), ...cols.map((c) => fmt(r.summary[c]).padStart(18))].join(" ") + "\n");
      }
    });
}
