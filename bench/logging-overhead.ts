// Logging overhead of the SDK: the same fine-tuning run (same model, data, seed and evaluation work)
// once through fineTune alone and once through runTraining, which creates the run, logs every eval
// step, the summary and finishes it on a real server backed by a real PostgreSQL. Target: <= 2%.
// The server runs in a child process, as `finetrack server` would, so its ingest work is not
// charged to the training process.
//   npx tsx bench/logging-overhead.ts [repeats=5] [max_steps=40]
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestServer } from "@finetrack/sdk/testing";
import { createModel, disposeModel, evaluateModel, fineTune, initBackend, transformerConfig } from "@finetrack/trainer";
import { parseConfig } from "@finetrack/trainer/config";
import { encodeSplits, hyperFromConfig, loadSplitRecords, methodFromConfig, runTraining } from "@finetrack/trainer/run";

type ServerInfo = { url: string; apiKey: string; home: string; project: string };

if (process.argv[2] === "--serve") {
  const s = await startTestServer();
  process.send!({ url: s.url, apiKey: s.apiKey, home: s.home, project: s.project } satisfies ServerInfo);
  process.on("disconnect", () => void s.close().then(() => process.exit(0)));
} else {
  await main();
}

async function main() {
const repeats = Number(process.argv[2] ?? 5);
const maxSteps = Number(process.argv[3] ?? 40);
const backend = await initBackend();
const child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
const server = await new Promise<ServerInfo>((resolve) => child.once("message", (m) => resolve(m as ServerInfo)));
const base = createModel("bench", transformerConfig({ vocabSize: 259, contextLength: 64, layers: 2, width: 64, heads: 4 }), 7);
const config = parseConfig({
  project: server.project, base_model: "bench", dataset: "arithmetic", finetuning_type: "lora", lora_target: "all",
  max_steps: maxSteps, eval_steps: 5, per_device_train_batch_size: 16, learning_rate: 0.005, tags: ["bench"],
});
const data = encodeSplits(config, base.config, loadSplitRecords(config));

// Wall time splits into setup (until the first step), training (first step to last eval: where
// per-step logging costs) and teardown (test evaluation, finish/flush); CPU time is for the whole run.
// CPU time of this process is the steadier measure on a shared machine: other processes' load
// stretches wall time but not the work this process does.
type Cost = { wallMs: number; cpuMs: number; setupMs: number; trainMs: number; teardownMs: number; trainCpuMs: number; fixedCpuMs: number };
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function measure(fn: (hooks: { onStep(): void; onEval(): void }) => Promise<unknown>): Promise<Cost> {
  const c0 = cpuMs();
  const t0 = performance.now();
  let firstStep = 0;
  let firstStepCpu = 0;
  let lastEval = 0;
  let lastEvalCpu = 0;
  await fn({
    onStep: () => {
      if (firstStep) return;
      firstStep = performance.now();
      firstStepCpu = cpuMs();
    },
    onEval: () => {
      lastEval = performance.now();
      lastEvalCpu = cpuMs();
    },
  });
  const end = performance.now();
  const c1 = cpuMs();
  return {
    wallMs: end - t0, cpuMs: c1 - c0, setupMs: firstStep - t0, trainMs: lastEval - firstStep, teardownMs: end - lastEval,
    trainCpuMs: lastEvalCpu - firstStepCpu, fixedCpuMs: c1 - c0 - (lastEvalCpu - firstStepCpu),
  };
}

const withoutSdk = () =>
  measure(async (hooks) => {
    const r = await fineTune({ baseModel: base, method: methodFromConfig(config), train: data.train, validation: data.validation, hyper: hyperFromConfig(config), ...hooks });
    evaluateModel(r.model, data.test, config.per_device_eval_batch_size);
    disposeModel(r.model);
  });

const withSdk = () => measure((hooks) => runTraining(config, { base, data, tracking: { url: server.url, apiKey: server.apiKey, home: server.home, quiet: true }, ...hooks }));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await withoutSdk(); // warm-up: kernels compiled, caches filled
const pairs: { plain: Cost; logged: Cost }[] = [];
for (let i = 0; i < repeats; i++) {
  // Paired and alternated, so drift in the load of a shared machine hits both sides alike.
  let plain: Cost;
  let logged: Cost;
  if (i % 2 === 0) {
    plain = await withoutSdk();
    logged = await withSdk();
  } else {
    logged = await withSdk();
    plain = await withoutSdk();
  }
  pairs.push({ plain, logged });
  const f = (c: Cost) => `${c.wallMs.toFixed(0)} ms wall (setup ${c.setupMs.toFixed(0)}, train ${c.trainMs.toFixed(0)}, teardown ${c.teardownMs.toFixed(0)}), ${c.cpuMs.toFixed(0)} ms cpu (train ${c.trainCpuMs.toFixed(0)})`;
  console.log(`pair ${i + 1}: without SDK ${f(plain)}; with SDK ${f(logged)}`);
}
const ratio = (key: keyof Cost) => median(pairs.map((p) => p.logged[key] / p.plain[key]));
const extra = (key: keyof Cost) => median(pairs.map((p) => p.logged[key] - p.plain[key]));
const pct = (r: number) => `${((r - 1) * 100).toFixed(2)}%`;
console.log(`backend ${backend}, ${maxSteps} steps, eval every ${config.eval_steps} steps (${(maxSteps / config.eval_steps) * 7} points per run), ${repeats} pairs (medians of paired values)`);
console.log(`training phase (logging while training): CPU ratio ${ratio("trainCpuMs").toFixed(4)} -> overhead ${pct(ratio("trainCpuMs"))}; wall ratio ${ratio("trainMs").toFixed(4)} -> ${pct(ratio("trainMs"))}`);
console.log(`fixed cost per run: +${extra("fixedCpuMs").toFixed(0)} ms CPU; wall setup +${extra("setupMs").toFixed(0)} ms (run creation, system info with git), teardown +${extra("teardownMs").toFixed(0)} ms (finish, flush)`);
console.log(`whole run: wall ratio ${ratio("wallMs").toFixed(4)} -> overhead ${pct(ratio("wallMs"))}; CPU ratio of the training process ${ratio("cpuMs").toFixed(4)} -> ${pct(ratio("cpuMs"))}  (target <= 2%)`);
disposeModel(base);
child.disconnect();
}
