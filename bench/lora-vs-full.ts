// Step time and trainable bytes of each PEFT method against a full fine-tune of the same model
// and batch, measured interleaved in one process.
//   npx tsx bench/lora-vs-full.ts [--model small] [--steps 3] [--rounds 3] [--backend wasm]
import {
  applyMethod, countParams, createModel, disposeModel, initBackend, listBaseModels, measureThroughput, modelBytes,
  type BackendName, type LmExample, type MethodConfig,
} from "@finetrack/trainer";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const backend = await initBackend(args.get("backend") as BackendName | undefined);
const spec = listBaseModels().find((z) => z.name === (args.get("model") ?? "small"));
if (!spec) throw new Error(`--model: expected one of ${listBaseModels().map((z) => z.name).join(", ")}`);
const steps = Number(args.get("steps") ?? 3);
const rounds = Number(args.get("rounds") ?? 3);
const c = spec.config;
const batch: LmExample[] = Array.from({ length: 16 }, (_, i) => ({
  input: Array.from({ length: c.contextLength }, (_, j) => (i * 31 + j * 7) % 256),
  target: Array.from({ length: c.contextLength }, (_, j) => (i * 17 + j * 5 + 1) % 256),
}));

const methods: [string, MethodConfig][] = [
  ["full", { finetuning_type: "full" }],
  ["freeze(top 1)", { finetuning_type: "freeze", freeze_trainable_layers: 1 }],
  ["lora r8 q,v", { finetuning_type: "lora", lora_rank: 8, lora_target: ["q", "v"] }],
  ["lora r8 all", { finetuning_type: "lora", lora_rank: 8, lora_target: "all" }],
  ["qlora r8 all nf4+dq", { finetuning_type: "qlora", lora_rank: 8, lora_target: "all", double_quantization: true }],
  ["adapter m=8", { finetuning_type: "adapter", adapter_size: 8 }],
  ["llama_adapter 10x2", { finetuning_type: "llama_adapter", adapter_len: 10, adapter_layers: 2 }],
];
const models = methods.map(([, m]) => applyMethod(createModel(spec.name, c, 1), m, 1));
const times: number[][] = methods.map(() => []);
for (let r = 0; r < rounds; r++) {
  models.forEach((m, i) => times[i].push(measureThroughput({ model: m, batch, steps }).msPerStep));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fullMs = median(times[0]);
const fullTrainable = countParams(models[0]).trainable * 4;
console.log(`backend=${backend} model=${spec.name} (${spec.params} params) batch=16x${c.contextLength}, median of ${rounds} interleaved rounds x ${steps} steps`);
console.log("method".padEnd(22), "ms/step".padStart(9), "vs full".padStart(8), "trainable bytes".padStart(16), "vs full".padStart(9), "model bytes".padStart(12));
methods.forEach(([name], i) => {
  const ms = median(times[i]);
  const tb = countParams(models[i]).trainable * 4;
  console.log(name.padEnd(22), ms.toFixed(0).padStart(9), `${(ms / fullMs).toFixed(2)}x`.padStart(8), String(tb).padStart(16), `${((100 * tb) / fullTrainable).toFixed(2)}%`.padStart(9), String(modelBytes(models[i])).padStart(12));
});
models.forEach(disposeModel);
