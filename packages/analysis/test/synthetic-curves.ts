// Deterministic curves with a known answer, shared by the tests and the bench.
import type { SeriesPoint } from "../src/curves/types";
import { createRng, type Rng } from "../src/math/rng";

export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface CurveSpec {
  steps: number;
  evalEvery: number;
  train: (s: number) => number;
  val: (s: number) => number;
  trainNoise?: number;
  valNoise?: number;
  seed?: number;
  /** Seconds per step, to give points a wall time. */
  secondsPerStep?: number;
}

export function makeCurves(spec: CurveSpec): { train: SeriesPoint[]; val: SeriesPoint[] } {
  const rng = createRng(spec.seed ?? 1);
  const train: SeriesPoint[] = [];
  const val: SeriesPoint[] = [];
  for (let s = 1; s <= spec.steps; s++) {
    const time = spec.secondsPerStep ? 1_700_000_000 + s * spec.secondsPerStep : undefined;
    const t: SeriesPoint = { step: s, value: spec.train(s) * (1 + (spec.trainNoise ?? 0) * gaussian(rng)) };
    if (time !== undefined) t.time = time;
    train.push(t);
    if (s % spec.evalEvery === 0) {
      const v: SeriesPoint = { step: s, value: spec.val(s) * (1 + (spec.valNoise ?? 0) * gaussian(rng)) };
      if (time !== undefined) v.time = time;
      val.push(v);
    }
  }
  return { train, val };
}

/** Step of the minimum of a noiseless curve evaluated every `evalEvery` steps. */
export function trueMinimumStep(f: (s: number) => number, steps: number, evalEvery: number): number {
  let best = evalEvery;
  for (let s = evalEvery; s <= steps; s += evalEvery) if (f(s) < f(best)) best = s;
  return best;
}

/**
 * A real (tiny) training run that overfits: full-batch gradient descent on 40 Gaussian RBF
 * features fitted to 15 noisy samples of sin(3x), validated on 200 fresh samples. Early steps
 * learn the smooth trend; later steps fit the noise. Losses are mean squared errors.
 */
export function rbfTrainingRun(steps = 4000, evalEvery = 20, seed = 7, lr = 0.05): { train: SeriesPoint[]; val: SeriesPoint[] } {
  const rng = createRng(seed);
  const centers = Array.from({ length: 40 }, (_, k) => -1 + (2 * k) / 39);
  const sample = (n: number) =>
    Array.from({ length: n }, () => {
      const x = 2 * rng() - 1;
      return { f: centers.map((c) => Math.exp(-((x - c) ** 2) / (2 * 0.2 ** 2))), y: Math.sin(3 * x) + 0.3 * gaussian(rng) };
    });
  const trainSet = sample(15);
  const valSet = sample(200);
  const w = new Array(centers.length).fill(0);
  const predict = (f: number[]) => f.reduce((a, v, k) => a + v * w[k], 0);
  const mse = (set: { f: number[]; y: number }[]) => set.reduce((s, p) => s + (predict(p.f) - p.y) ** 2, 0) / set.length;
  const train: SeriesPoint[] = [];
  const val: SeriesPoint[] = [];
  for (let step = 1; step <= steps; step++) {
    const grad = new Array(centers.length).fill(0);
    for (const p of trainSet) {
      const err = predict(p.f) - p.y;
      for (let k = 0; k < w.length; k++) grad[k] += (2 * err * p.f[k]) / trainSet.length;
    }
    for (let k = 0; k < w.length; k++) w[k] -= lr * grad[k];
    train.push({ step, value: mse(trainSet) });
    if (step % evalEvery === 0) val.push({ step, value: mse(valSet) });
  }
  return { train, val };
}
