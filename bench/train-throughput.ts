// Training throughput (tokens/s) of the same model and batch under our trainer and under PyTorch
// on this machine, per tfjs backend, as a ratio (target >= 1.0x). Also measures tf's own autodiff
// layers in the same process, to show what the custom-gradient layers buy.
//   npx tsx bench/train-throughput.ts [--backends wasm,cpu] [--models tiny,small] [--steps 4] [--rounds 3]
// PyTorch: Debian's python3-torch at /usr/bin/python3 (skipped with a message when missing).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  applyMethod, createModel, disposeModel, initBackend, listBaseModels, measureThroughput,
  type BackendName, type LmExample, type TransformerConfig,
} from "@finetrack/trainer";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const backends = (args.get("backends") ?? "tensorflow,wasm,cpu").split(",") as BackendName[];
const models = (args.get("models") ?? "tiny,small").split(",");
const steps = Number(args.get("steps") ?? 4);
const rounds = Number(args.get("rounds") ?? 3);
const batchSize = Number(args.get("batch") ?? 16);
const python = args.get("python") ?? "/usr/bin/python3";
const here = path.dirname(fileURLToPath(import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function torchTokensPerSec(c: TransformerConfig, threads: number): number | string {
  const cfg = { vocab: c.vocabSize, context: c.contextLength, layers: c.layers, width: c.width, heads: c.heads, ffn: c.ffnWidth, batch: batchSize, threads, steps, warmup: 2 };
  const r = spawnSync(python, [path.join(here, "torch_reference.py"), JSON.stringify(cfg)], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? r.stderr.trim().split("\n").at(-1) ?? "unknown error";
    return /No module named 'torch'|ENOENT/.test(why) ? "PyTorch missing (apt-get install python3-torch)" : `PyTorch failed: ${why}`;
  }
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!).tokens_per_sec;
}

function batchFor(c: TransformerConfig): LmExample[] {
  return Array.from({ length: batchSize }, (_, i) => ({
    input: Array.from({ length: c.contextLength }, (_, j) => (i * 31 + j * 7) % 256),
    target: Array.from({ length: c.contextLength }, (_, j) => (i * 17 + j * 5 + 1) % 256),
  }));
}

const fmt = (x: number) => (x >= 1000 ? x.toFixed(0) : x.toFixed(1));
const rows: string[] = [];
let torchCache = new Map<string, { one: number[]; all: number[]; note?: string }>();

for (const requested of backends) {
  let backend: string;
  try {
    backend = await initBackend(requested);
  } catch {
    console.log(`backend ${requested}: not available on this machine, skipped`);
    continue;
  }
  for (const name of models) {
    const spec = listBaseModels().find((z) => z.name === name);
    if (!spec) throw new Error(`--models: unknown zoo model '${name}'`);
    // The plain-JS cpu backend is ~20x slower; one small model is enough to place it.
    if (backend === "cpu" && name !== models[0]) continue;
    const model = createModel(name, spec.config, 1);
    applyMethod(model, { finetuning_type: "full" });
    const batch = batchFor(spec.config);
    const s = backend === "cpu" ? Math.max(1, Math.floor(steps / 2)) : steps;
    const ours: number[] = [];
    const ref: number[] = [];
    const cached = torchCache.get(name) ?? { one: [], all: [] };
    for (let r = 0; r < rounds; r++) {
      // Interleaved so load from other processes hits every variant alike.
      ours.push(measureThroughput({ model, batch, steps: s }).tokensPerSec);
      ref.push(measureThroughput({ model, batch, steps: s, reference: true }).tokensPerSec);
      if (!torchCache.has(name)) {
        const one = torchTokensPerSec(spec.config, 1);
        const all = torchTokensPerSec(spec.config, 0);
        if (typeof one === "string") cached.note = one;
        else cached.one.push(one);
        if (typeof all === "number") cached.all.push(all);
      }
    }
    torchCache.set(name, cached);
    disposeModel(model);
    const o = median(ours);
    const a = median(ref);
    const line = [`${backend.padEnd(10)} ${name.padEnd(7)} params=${spec.params}`, `batch=${batchSize}x${spec.config.contextLength}`,
      `ours=${fmt(o)} tok/s`, `tf-autodiff=${fmt(a)} tok/s (custom grads ${(o / a).toFixed(2)}x)`];
    if (cached.note) line.push(cached.note);
    else {
      const t1 = median(cached.one);
      line.push(`torch-1thread=${fmt(t1)} tok/s ratio=${(o / t1).toFixed(2)}x`);
      if (cached.all.length) {
        const ta = median(cached.all);
        line.push(`torch-default-threads=${fmt(ta)} tok/s ratio=${(o / ta).toFixed(2)}x`);
      }
    }
    rows.push(line.join("  "));
    console.log(line.join("  "));
  }
}
console.log("\nsummary (median of %d interleaved rounds, %d steps each, full fine-tune, AdamW + clipping):", rounds, steps);
for (const r of rows) console.log("  " + r);
torchCache = new Map();
