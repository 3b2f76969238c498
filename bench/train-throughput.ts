// Training throughput (tokens/s) of the same model and batch under our trainer and under PyTorch
// on this machine, per tfjs backend, as a ratio (target >= 0.5x PyTorch single-thread). Each speed
// route of the step (packages/trainer/src/layers/kernel-routes.ts) is measured alone (on top of
// all routes off), as shipped (the defaults) and all together, in the same interleaved rounds, so
// each route's contribution prints as a ratio to the routes-off step; "ours" is the shipped
// setting; "shipped±dataParallel" is the shipped setting with the second core flipped, so what
// the worker threads buy on top of the shipped kernels prints beside it. The load average is
// printed before and after: other processes on the machine understate a two-thread speedup.
// tf's own autodiff layers are measured too.
//   npx tsx bench/train-throughput.ts [--backends wasm,cpu] [--models tiny,small] [--steps 4] [--rounds 3]
// PyTorch: Debian's python3-torch at /usr/bin/python3 (skipped with a message when missing). Its
// libblas.so.3 is the reference BLAS unless libopenblas0-pthread is installed; the line says which.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  applyMethod, configureDataParallel, createModel, DEFAULT_KERNEL_ROUTES, disposeModel, initBackend, KERNEL_ROUTE_NAMES, listBaseModels, measureThroughput, setKernelRoutes,
  type BackendName, type KernelRoutes, type LmExample, type TransformerConfig,
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

interface TorchResult { tokensPerSec: number; matmulGflops: number }

function torchRun(c: TransformerConfig, threads: number): TorchResult | string {
  const cfg = { vocab: c.vocabSize, context: c.contextLength, layers: c.layers, width: c.width, heads: c.heads, ffn: c.ffnWidth, batch: batchSize, threads, steps, warmup: 2 };
  // OpenBLAS keeps its own thread pool; torch.set_num_threads does not reach it.
  const env = threads > 0 ? { ...process.env, OPENBLAS_NUM_THREADS: String(threads) } : process.env;
  const r = spawnSync(python, [path.join(here, "torch_reference.py"), JSON.stringify(cfg)], { encoding: "utf8", env });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? r.stderr.trim().split("\n").at(-1) ?? "unknown error";
    return /No module named 'torch'|ENOENT/.test(why) ? "PyTorch missing (apt-get install python3-torch)" : `PyTorch failed: ${why}`;
  }
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  return { tokensPerSec: out.tokens_per_sec, matmulGflops: out.matmul_gflops };
}

function batchFor(c: TransformerConfig): LmExample[] {
  return Array.from({ length: batchSize }, (_, i) => ({
    input: Array.from({ length: c.contextLength }, (_, j) => (i * 31 + j * 7) % 256),
    target: Array.from({ length: c.contextLength }, (_, j) => (i * 17 + j * 5 + 1) % 256),
  }));
}

const allOff = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, false])) as unknown as KernelRoutes;
const allOn = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, true])) as unknown as KernelRoutes;
const shipped: KernelRoutes = { ...DEFAULT_KERNEL_ROUTES };
/** Step variants in the order they run each round: routes off, each route alone, all routes, as shipped. */
const variants: { label: string; routes: KernelRoutes }[] = [
  { label: "routes-off", routes: allOff },
  ...KERNEL_ROUTE_NAMES.map((n) => ({ label: `+${n}`, routes: { ...allOff, [n]: true } })),
  { label: "all-routes", routes: allOn },
  { label: "shipped", routes: shipped },
  { label: "shipped±dataParallel", routes: { ...shipped, dataParallel: !shipped.dataParallel } },
];
// The route is measured as such: the step's own fallback to one thread on busy cores is off here.
configureDataParallel({ busyLoadAverage: Infinity });
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`load average (1, 5, 15 min) at start: ${load()} on ${cpus().length} cores`);

const fmt = (x: number) => (x >= 1000 ? x.toFixed(0) : x.toFixed(1));
const rows: string[] = [];
const routeRows: string[] = [];
let torchCache = new Map<string, { one: number[]; all: number[]; gflops: number[]; note?: string }>();

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
    // The cpu backend gets only routes-off and the shipped setting: it is placed, not tuned.
    const runVariants = backend === "cpu" ? [variants[0], variants.find((v) => v.label === "shipped")!] : variants;
    const byVariant = new Map<string, number[]>(runVariants.map((v) => [v.label, []]));
    const cpuPath = new Map<string, number[]>(runVariants.map((v) => [v.label, []]));
    const ref: number[] = [];
    const cached = torchCache.get(name) ?? { one: [], all: [], gflops: [] };
    for (let r = 0; r < rounds; r++) {
      // Interleaved so load from other processes hits every variant alike.
      for (const v of runVariants) {
        setKernelRoutes(v.routes);
        const m = measureThroughput({ model, batch, steps: s });
        byVariant.get(v.label)!.push(m.tokensPerSec);
        cpuPath.get(v.label)!.push((m.tokensPerStep * 1000) / m.criticalCpuMsPerStep);
      }
      setKernelRoutes(shipped);
      ref.push(measureThroughput({ model, batch, steps: s, reference: true }).tokensPerSec);
      if (!torchCache.has(name)) {
        const one = torchRun(spec.config, 1);
        const all = torchRun(spec.config, 0);
        if (typeof one === "string") cached.note = one;
        else {
          cached.one.push(one.tokensPerSec);
          cached.gflops.push(one.matmulGflops);
        }
        if (typeof all !== "string") cached.all.push(all.tokensPerSec);
      }
    }
    setKernelRoutes(shipped);
    torchCache.set(name, cached);
    disposeModel(model);
    const off = median(byVariant.get("routes-off")!);
    const o = median(byVariant.get("shipped")!);
    const a = median(ref);
    const t1 = cached.note ? undefined : median(cached.one);
    const offCpu = median(cpuPath.get("routes-off")!);
    for (const v of runVariants) {
      const x = median(byVariant.get(v.label)!);
      const c = median(cpuPath.get(v.label)!);
      const vsTorch = t1 ? `  ${(x / t1).toFixed(2)}x torch-1thread` : "";
      const cpu = Number.isFinite(c) ? `  | cpu-path ${fmt(c).padStart(6)} tok/s ${(c / offCpu).toFixed(2)}x` : "";
      routeRows.push(`${backend.padEnd(10)} ${name.padEnd(7)} ${v.label.padEnd(20)} ${fmt(x).padStart(6)} tok/s  ${(x / off).toFixed(2)}x routes-off${vsTorch}${cpu}`);
    }
    const line = [`${backend.padEnd(10)} ${name.padEnd(7)} params=${spec.params}`, `batch=${batchSize}x${spec.config.contextLength}`,
      `ours=${fmt(o)} tok/s (routes-off ${fmt(off)})`, `tf-autodiff=${fmt(a)} tok/s (custom grads ${(o / a).toFixed(2)}x)`];
    if (cached.note) line.push(cached.note);
    else {
      const blas = median(cached.gflops);
      line.push(`torch-1thread=${fmt(t1!)} tok/s ratio=${(o / t1!).toFixed(2)}x (torch matmul ${blas.toFixed(1)} GFLOP/s${blas < 5 ? ": reference BLAS, apt-get install libopenblas0-pthread" : ""})`);
      if (cached.all.length) {
        const ta = median(cached.all);
        line.push(`torch-default-threads=${fmt(ta)} tok/s ratio=${(o / ta).toFixed(2)}x`);
      }
    }
    rows.push(line.join("  "));
    console.log(line.join("  "));
  }
}
console.log("\nper route (median of %d interleaved rounds, %d steps each; '+route' = that route alone on top of routes-off):", rounds, steps);
console.log("  (cpu-path: tokens over the step's CPU critical path, i.e. the main thread's CPU time with its own shard replaced by the slowest");
console.log("   shard's; what the step would take on idle cores, robust to other processes' load. 1 thread: its CPU time.)");
for (const r of routeRows) console.log("  " + r);
console.log(`\nload average (1, 5, 15 min) at end: ${load()}`);
console.log("\nsummary (full fine-tune, AdamW + clipping):");
for (const r of rows) console.log("  " + r);
torchCache = new Map();
