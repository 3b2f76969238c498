import { AnyNumber } from "@finetrack/contracts";
import { z } from "zod";

// Responses of procedures that declare no `.output()` (their results are computed, not stored).
// The main fields are spelled out; nested detail is left open (looseObject) so the document stays
// true as the analysis grows. rest.test.ts checks real responses against the rendered document.

const StepValue = z.looseObject({ step: z.number(), value: AnyNumber });

const EarlyStoppingWhatIf = z.looseObject({
  monitor: z.string().meta({ description: '"loss" (the validation loss) or the task metric replayed (the run\'s metric_for_best_model).' }),
  patience: z.number(),
  minDelta: z.number(),
  stopped: z.boolean(),
  stopStep: z.number().nullable(),
  bestValueAtStop: AnyNumber.nullable(),
  overallBestValue: AnyNumber.nullable(),
  lossVsOverallBest: AnyNumber.nullable(),
  stepsSaved: z.number(),
  fractionSaved: AnyNumber,
  wallSecondsSaved: AnyNumber.nullable(),
  evaluationSpacingSteps: AnyNumber.nullable().meta({ description: "Median steps between the run's evaluations: patience N waits about N × this." }),
});

export const RunDiagnosisOutput = z.looseObject({
  runId: z.string(),
  trainKey: z.string().nullable().meta({ description: "The training loss key read (default: the run's `train/loss`, `loss`, …)." }),
  valKey: z.string().nullable().meta({ description: "The validation loss key read (default: `val/loss`, `eval_loss`, …)." }),
  metricKey: z.string().nullable().meta({ description: "The task metric read beside the loss: the run's `metric_for_best_model`, else an eval WER/F1/accuracy/ROUGE/BLEU." }),
  diagnosis: z
    .looseObject({
      verdict: z.enum(["still_improving", "good_fit", "overfitting", "underfitting", "diverged", "too_short", "metric_still_improving", "degrading", "eval_broken"]),
      confidence: z.number().meta({ description: "0..1: how clearly the numbers support the verdict." }),
      summary: z.string().meta({ description: "One line for a person." }),
      reasons: z.array(z.string()),
      onsetStep: z.number().nullable().meta({ description: "Overfitting only: the step after which validation keeps rising while training keeps falling." }),
      best: z.looseObject({ step: z.number(), value: AnyNumber }).nullable(),
      final: z.looseObject({ step: z.number(), train: AnyNumber, val: AnyNumber, gap: AnyNumber }).nullable(),
      finalGap: AnyNumber.nullable(),
      gap: z.array(z.looseObject({ step: z.number(), train: AnyNumber, val: AnyNumber, gap: AnyNumber })),
      generalizationLoss: z.array(StepValue).meta({ description: "Prechelt's GL(t) per validation step." }),
      trainingProgress: z.array(StepValue),
      sparse: z.boolean().meta({ description: "Fewer than 12 evaluations: the verdict stands, its confidence is capped." }),
      metric: z
        .looseObject({ name: z.string(), greaterIsBetter: z.boolean(), selectsCheckpoint: z.boolean(), best: StepValue.nullable(), final: StepValue.nullable() })
        .nullable()
        .meta({ description: "The task metric read against the loss (null when the run has none)." }),
      divergence: z.looseObject({ step: z.number(), series: z.enum(["train", "val"]), reason: z.enum(["non_finite", "explosion", "unstable"]), value: AnyNumber, persistent: z.boolean().meta({ description: "False for a NaN/Inf the curve recovered from: left out, not the verdict." }) }).nullable(),
      evidence: z.record(z.string(), AnyNumber),
      earlyStopping: EarlyStoppingWhatIf,
      earlyStoppingTable: z.array(EarlyStoppingWhatIf),
      advice: z.array(z.looseObject({ id: z.string(), priority: z.number(), message: z.string(), setting: z.string().optional() })),
    })
    .nullable()
    .meta({ description: "null when the run lacks a training or a validation loss; `reason` says which." }),
  reason: z.string().nullable(),
});

export const FactorImpactOutput = z.looseObject({
  target: z.string(),
  direction: z.enum(["minimize", "maximize"]),
  factors: z.array(z.string()).meta({ description: "The factors analysed." }),
  result: z
    .looseObject({
      runs: z.number(),
      factors: z.array(
        z.looseObject({
          name: z.string(),
          family: z.string(),
          combined: AnyNumber.meta({ description: "Fit-weighted mean of the fANOVA, permutation, PED-ANOVA and ANOVA shares (see result.methods)." }),
          fanova: AnyNumber,
          permutation: AnyNumber,
          pedAnova: AnyNumber,
        }),
      ),
      families: z.array(z.looseObject({})),
      answer: z.looseObject({}).meta({ description: "Which of dataset, base model and hyperparameters moves the target most, with its caveats." }),
    })
    .nullable()
    .meta({ description: "null when too few runs carry the target; `reason` says so." }),
  reason: z.string().nullable(),
  runs: z.array(z.looseObject({ id: z.string(), name: z.string(), target: AnyNumber, values: z.record(z.string(), z.unknown()) })),
});
