// What compression costs on the trainer's tiny models (issue 6): bytes, val loss and accuracy
// before/after for every technique, QAT against PTQ at the same bits, distillation against the
// same student trained on labels alone, and how long each step takes relative to one fp32
// validation pass measured in the same run. Run: npx tsx bench/compress.ts [--quick]
import { createModel, evaluateModel, fineTune, transformerConfig, BYTE_VOCAB_SIZE, initBackend, disposeModel, type Example, type LoadedModel } from "@finetrack/trainer";
import { parseConfig } from "@finetrack/trainer/config";
import { encodeSplits, loadSplitRecords } from "@finetrack/trainer/run";
import { runDistillation, runPruning, runPtq, runQat, type CompressionOutcome, type WeightQuantSpec } from "@finetrack/trainer/compress";
import { fineTunedClassifier } from "@finetrack/trainer/testing";

const quick = process.argv.includes("--quick");
await initBackend();

interface Task {
  name: string;
  model: LoadedModel;
  train: Example[];
  validation: Example[];
  student: LoadedModel;
  steps: number;
  lr: number;
}

async function lmTask(): Promise<Task> {
  const cfg = parseConfig({ base_model: "x", dataset: "uppercase", max_samples: quick ? 200 : 400, seed: 1, cutoff_len: 48 });
  const base = createModel("lm-1x48", transformerConfig({ vocabSize: BYTE_VOCAB_SIZE, contextLength: 48, layers: 2, width: 48, heads: 4 }), 1);
  const data = encodeSplits(cfg, base.config, loadSplitRecords(cfg));
  const ft = await fineTune({ baseModel: base, method: { finetuning_type: "full" }, train: data.train, validation: data.validation, hyper: { max_steps: quick ? 60 : 150, learning_rate: 0.003, per_device_train_batch_size: 16, seed: 1 } });
  const student = createModel("lm-1x24", transformerConfig({ vocabSize: BYTE_VOCAB_SIZE, contextLength: 48, layers: 1, width: 24, heads: 2 }), 2);
  return { name: "transformer LM (uppercase)", model: ft.model, train: data.train, validation: data.validation, student, steps: quick ? 20 : 60, lr: 0.001 };
}

async function mlpTask(): Promise<Task> {
  const fx = await fineTunedClassifier([64, 64]);
  const student = createModel("mlp-8", { family: "mlp", inputDim: 8, hidden: [8], numClasses: 3 }, 2);
  return { name: "MLP classifier (synthetic)", model: fx.model, train: fx.train, validation: fx.validation, student, steps: quick ? 30 : 80, lr: 0.003 };
}

function row(label: string, o: CompressionOutcome, ms: number, evalMs: number, note = ""): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : "-");
  return [label.padEnd(34), String(o.bytes).padStart(9), (o.bytesBefore / o.bytes).toFixed(2).padStart(6) + "x", f(o.before.loss).padStart(8), f(o.after.loss).padStart(8), ((o.after.loss >= o.before.loss ? "+" : "") + f(o.after.loss - o.before.loss)).padStart(9), ((o.after.accuracy >= o.before.accuracy ? "+" : "") + f(o.after.accuracy - o.before.accuracy, 3)).padStart(8), (ms / evalMs).toFixed(1).padStart(7) + "x", " " + note].join(" ");
}

for (const make of [mlpTask, lmTask]) {
  const t = await make();
  let start = performance.now();
  const reps = 3;
  for (let i = 0; i < reps; i++) evaluateModel(t.model, t.validation);
  const evalMs = (performance.now() - start) / reps;
  console.log(`\n${t.name}: ${t.train.length} train / ${t.validation.length} val examples; one fp32 val pass ${evalMs.toFixed(0)} ms`);
  console.log(["technique".padEnd(34), "bytes".padStart(9), "ratio".padStart(7), "loss0".padStart(8), "loss".padStart(8), "Δloss".padStart(9), "Δacc".padStart(8), "time/eval".padStart(8), " notes"].join(" "));
  const time = async (fn: () => CompressionOutcome | Promise<CompressionOutcome>) => {
    start = performance.now();
    const o = await fn();
    return { o, ms: performance.now() - start };
  };
  const specs: [string, WeightQuantSpec][] = [
    ["int8 sym per-channel", { format: "affine", bits: 8, scheme: "symmetric", granularity: "channel" }],
    ["int8 asym per-tensor", { format: "affine", bits: 8, scheme: "asymmetric", granularity: "tensor" }],
    ["int4 sym per-tensor", { format: "affine", bits: 4, scheme: "symmetric", granularity: "tensor" }],
    ["int4 sym per-channel", { format: "affine", bits: 4, scheme: "symmetric", granularity: "channel" }],
    ["nf4 blockwise (64)", { format: "nf4" }],
  ];
  for (const [label, weights] of specs) {
    const { o, ms } = await time(() => runPtq(t.model, { weights, embeddings: true, validation: t.validation, sensitivity: true }));
    const worst = o.layers.reduce((a, b) => (b.valLossDelta > a.valLossDelta ? b : a));
    console.log(row(`ptq ${label}`, o, ms, evalMs, `most sensitive: ${worst.layer} (${worst.valLossDelta >= 0 ? "+" : ""}${worst.valLossDelta.toFixed(4)})`));
    disposeModel(o.model);
  }
  for (const method of ["minmax", "percentile"] as const) {
    const { o, ms } = await time(() => runPtq(t.model, { weights: specs[0][1], embeddings: true, activations: { bits: 8, scheme: "asymmetric", method, percentile: 99.99 }, validation: t.validation, calibration: t.train.slice(0, 128) }));
    console.log(row(`ptq int8 w + int8 act (${method})`, o, ms, evalMs));
    disposeModel(o.model);
  }
  for (const granularity of ["tensor", "channel"] as const) {
    const { o, ms } = await time(() => runQat(t.model, { weights: { format: "affine", bits: 4, scheme: "symmetric", granularity }, embeddings: true, train: t.train, validation: t.validation, hyper: { max_steps: t.steps, eval_steps: Math.ceil(t.steps / 4), learning_rate: t.lr, per_device_train_batch_size: 16, seed: 1 } }));
    console.log(row(`qat int4 sym per-${granularity}`, o, ms, evalMs, `PTQ at the same bits: loss ${(o.summary!.ptq_val_loss as number).toFixed(4)}`));
    disposeModel(o.model);
  }
  const hyper = { learning_rate: t.lr, per_device_train_batch_size: 16, seed: 1 };
  // QAT and recovery train further; this row separates the effect of the extra steps themselves.
  {
    const { o, ms } = await time(() => runPruning(t.model, { granularity: "unstructured", mode: "one_shot", sparsity: 0, recovery_steps: t.steps, train: t.train, validation: t.validation, hyper }));
    console.log(row(`fp32, ${t.steps} more steps (reference)`, o, ms, evalMs, "no compression: what the extra training alone does"));
    disposeModel(o.model);
  }
  for (const [label, opts] of [
    ["prune unstructured 50% one-shot", { granularity: "unstructured", mode: "one_shot", sparsity: 0.5 }],
    ["prune unstructured 80% one-shot", { granularity: "unstructured", mode: "one_shot", sparsity: 0.8 }],
    ["prune unstructured 80% gradual", { granularity: "unstructured", mode: "gradual", schedule: { initial_sparsity: 0, final_sparsity: 0.8, begin_step: 0, end_step: t.steps, frequency: Math.ceil(t.steps / 6) } }],
    ["prune neurons 50% one-shot", { granularity: "neurons", mode: "one_shot", sparsity: 0.5 }],
    ...(t.model.config.family === "transformer" ? [["prune heads 50% gradual", { granularity: "heads", mode: "gradual", schedule: { initial_sparsity: 0, final_sparsity: 0.5, begin_step: 0, end_step: t.steps, frequency: Math.ceil(t.steps / 4) } }]] : []),
  ] as [string, Parameters<typeof runPruning>[1]][]) {
    const { o, ms } = await time(() => runPruning(t.model, { ...opts, recovery_steps: t.steps, train: t.train, validation: t.validation, hyper }));
    const pre = o.summary!.val_loss_pruned_before_recovery;
    console.log(row(label, o, ms, evalMs, `sparsity ${(o.summary!.sparsity as number).toFixed(3)}${pre !== undefined ? `, loss before recovery ${(pre as number).toFixed(4)}` : ""}`));
    disposeModel(o.model);
  }
  const { o, ms } = await time(() => runDistillation(t.model, t.student, { temperature: 2, alpha: 0.5, train: t.train, validation: t.validation, hyper: { max_steps: t.steps * 3, eval_steps: t.steps, learning_rate: t.lr * 3, per_device_train_batch_size: 16, seed: 1 } }));
  console.log(row(`distill -> ${t.student.name} (T=2, α=0.5)`, o, ms, evalMs, `labels only: loss ${(o.summary!.labels_only_val_loss as number).toFixed(4)}; untrained student ${(o.summary!.student_base_val_loss as number).toFixed(4)}`));
  disposeModel(o.model);
}
