// Distillation after fine-tuning: the fine-tuned (larger) model teaches a smaller base model on the
// same data; the student is compared with the same student fine-tuned on the labels alone.
import type { Example, HyperParams, LoadedModel } from "../types";
import { resolveHyper } from "../train/resolve-hyper";
import { trainLoop } from "../train/train-loop";
import { evaluateModel } from "../train/evaluate-model";
import { batchLogits } from "../train/batch-loss";
import { validateExamples } from "../train/collate-batch";
import { disposeModel } from "../models/create-model";
import type { ForwardContext } from "../models/forward";
import { denseBytes, toDenseModel } from "./dense-model";
import { checkDistillationParams, distillationLoss, type DistillationParams } from "./distillation-loss";
import type { CompressionOutcome } from "./compression-outcome";

export interface DistillationOptions extends DistillationParams {
  train: Example[];
  validation: Example[];
  hyper: Partial<HyperParams>;
  /** Also fine-tune the student on the labels alone with the same budget (default true). */
  compareWithoutTeacher?: boolean;
  /** Recorded on the student's run: the teacher's run id / checkpoint. */
  teacherRef?: Record<string, string>;
}

function checkCompatible(teacher: LoadedModel, student: LoadedModel): void {
  const t = teacher.config;
  const s = student.config;
  if (t.family !== s.family) throw new Error(`distill.student: teacher is a ${t.family}, student '${student.name}' is a ${s.family}; they must be the same family`);
  if (t.family === "transformer" && s.family === "transformer" && t.vocabSize !== s.vocabSize) {
    throw new Error(`distill.student: vocabularies differ (teacher ${t.vocabSize}, student ${s.vocabSize})`);
  }
  if (t.family === "mlp" && s.family === "mlp" && (t.numClasses !== s.numClasses || t.inputDim !== s.inputDim)) {
    throw new Error(`distill.student: the MLPs must share inputDim and numClasses (teacher ${t.inputDim}/${t.numClasses}, student ${s.inputDim}/${s.numClasses})`);
  }
}

async function trainStudent(student: LoadedModel, teacher: LoadedModel | null, o: DistillationOptions, history?: CompressionOutcome["history"]) {
  const model = toDenseModel(student);
  const teacherCtx: ForwardContext = { training: false, dropout: 0, seed: 0, trainable: new Set() };
  const out = await trainLoop({
    model,
    train: o.train,
    validation: o.validation,
    hyper: resolveHyper(o.hyper),
    loss: teacher
      ? (m, batch, ctx) => {
          const s = batchLogits(m, batch, ctx);
          const t = batchLogits(teacher, batch, teacherCtx);
          const targets = batch.kind === "lm" ? batch.targets : batch.labels;
          const weights = batch.kind === "lm" ? batch.weights : new Float32Array(batch.b).fill(1);
          return distillationLoss(s, t, targets, weights, o);
        }
      : undefined,
    onEval: (m) => history?.push({ step: m.step, values: { "train/loss": m["train/loss"], "val/loss": m["val/loss"], "val/accuracy": m["val/accuracy"] } }),
  });
  return { model, steps: out.steps };
}

export async function runDistillation(teacher: LoadedModel, studentBase: LoadedModel, o: DistillationOptions): Promise<CompressionOutcome> {
  checkDistillationParams(o);
  checkCompatible(teacher, studentBase);
  validateExamples(studentBase, o.train, "train");
  const evalBs = resolveHyper(o.hyper).per_device_eval_batch_size;
  const teacherEval = evaluateModel(teacher, o.validation, evalBs);
  const studentBaseEval = evaluateModel(studentBase, o.validation, evalBs);
  const history: CompressionOutcome["history"] = [];
  const { model, steps } = await trainStudent(studentBase, teacher, o, history);
  const after = evaluateModel(model, o.validation, evalBs);
  const dense = toDenseModel(teacher);
  const bytesBefore = denseBytes(dense);
  disposeModel(dense);
  const summary: Record<string, number | string> = {
    teacher: teacher.name,
    student: studentBase.name,
    student_base_val_loss: studentBaseEval.loss,
    student_base_val_accuracy: studentBaseEval.accuracy,
    distill_steps: steps,
    ...Object.fromEntries(Object.entries(o.teacherRef ?? {}).map(([k, v]) => [`teacher_${k}`, v])),
  };
  if (o.compareWithoutTeacher !== false) {
    const alone = await trainStudent(studentBase, null, o);
    const e = evaluateModel(alone.model, o.validation, evalBs);
    summary.labels_only_val_loss = e.loss;
    summary.labels_only_val_accuracy = e.accuracy;
    summary.distill_minus_labels_only_val_loss = after.loss - e.loss;
    disposeModel(alone.model);
  }
  return {
    technique: "distill",
    label: `${studentBase.name}-T${o.temperature}-a${o.alpha}`,
    config: { temperature: o.temperature, alpha: o.alpha, student: studentBase.name, teacher: { name: teacher.name, ...o.teacherRef }, hyper: o.hyper },
    model,
    packed: new Map(),
    // "before" is the teacher: what the student replaces.
    bytesBefore,
    bytes: denseBytes(model),
    before: teacherEval,
    after,
    layers: [],
    history,
    summary,
  };
}
