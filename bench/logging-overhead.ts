// Logging overhead of the SDK: the same fine-tuning run (same model, data, seed and evaluation work)
// once through fineTune alone and once through runTraining, which creates the run, logs every eval
// step, the summary and finishes it on a real server backed by a real PostgreSQL. Target: <= 2%.
//   npx tsx bench/logging-overhead.ts [repeats=3] [max_steps=60]
import { startTestServer } from "@finetrack/sdk/testing";
import { createModel, disposeModel, evaluateModel, fineTune, initBackend, transformerConfig } from "@finetrack/trainer";
import { parseConfig } from "@finetrack/trainer/config";
import { encodeSplits, hyperFromConfig, loadSplitRecords, methodFromConfig, runTraining } from "@finetrack/trainer/run";

const repeats = Number(process.argv[2] ?? 3);
const maxSteps = Number(process.argv[3] ?? 60);
const backend = await initBackend();
const server = await startTestServer();
const base = createModel("bench", transformerConfig({ vocabSize: 259, contextLength: 64, layers: 2, width: 64, heads: 4 }), 7);
const config = parseConfig({
  project: server.project, base_model: "bench", dataset: "arithmetic", finetuning_type: "lora", lora_target: "all",
  max_steps: maxSteps, eval_steps: 5, per_device_train_batch_size: 16, learning_rate: 0.005, tags: ["bench"],
});
const data = encodeSplits(config, base.config, loadSplitRecords(config));

async function withoutSdk(): Promise<number> {
  const t0 = performance.now();
  const r = await fineTune({ baseModel: base, method: methodFromConfig(config), train: data.train, validation: data.validation, hyper: hyperFromConfig(config), onEval: () => {} });
  evaluateModel(r.model, data.test, config.per_device_eval_batch_size);
  disposeModel(r.model);
  return performance.now() - t0;
}

async function withSdk(): Promise<number> {
  const t0 = performance.now();
  await runTraining(config, { base, data, tracking: { url: server.url, apiKey: server.apiKey, home: server.home, quiet: true } });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await withoutSdk(); // warm-up: kernels compiled, caches filled
const plain: number[] = [];
const logged: number[] = [];
for (let i = 0; i < repeats; i++) {
  // Alternate the order so drift in machine load hits both sides alike.
  if (i % 2 === 0) {
    plain.push(await withoutSdk());
    logged.push(await withSdk());
  } else {
    logged.push(await withSdk());
    plain.push(await withoutSdk());
  }
  console.log(`repeat ${i + 1}: without SDK ${plain[i].toFixed(0)} ms, with SDK ${logged[i].toFixed(0)} ms`);
}
const ratio = median(logged) / median(plain);
console.log(`backend ${backend}, ${maxSteps} steps, eval every ${config.eval_steps} steps (${(maxSteps / config.eval_steps) * 7} points per run)`);
console.log(`median without SDK ${median(plain).toFixed(0)} ms, with SDK ${median(logged).toFixed(0)} ms`);
console.log(`ratio ${ratio.toFixed(4)} -> overhead ${((ratio - 1) * 100).toFixed(2)}% (target <= 2%)`);
disposeModel(base);
await server.close();
process.exit(0);
