// Static 8-bit activation quantization: the input range of every linear layer is observed on a
// calibration split (min/max, or percentiles that ignore outliers), then fixed for inference.
import { quantileSorted } from "@finetrack/analysis";
import * as tf from "@tensorflow/tfjs-core";
import type { Example, LinearTransforms, LoadedModel } from "../types";
import { evaluateModel } from "../train/evaluate-model";
import { computeQuantParams, type QuantParams, type QuantScheme } from "./quant-params";
import { fakeQuantize } from "./fake-quantize";

export interface ActivationCalibration {
  bits: number;
  scheme: QuantScheme;
  method: "minmax" | "percentile";
  /** percentile: the range is [P(100 − p), P(p)] of the observed values. */
  percentile: number;
}

/** Values kept per layer for percentiles; beyond this the stream is subsampled with a fixed stride. */
const MAX_SAMPLES = 1 << 20;

/** Quantization parameters of each linear layer's input, observed on `examples` through `model`. */
export function calibrateActivations(model: LoadedModel, examples: Example[], cal: ActivationCalibration, batchSize = 32): Map<string, QuantParams> {
  if (examples.length === 0) throw new Error("activations: the calibration split is empty; set calibration_size > 0 or use a dataset with a train split");
  if (cal.method === "percentile" && !(cal.percentile > 50 && cal.percentile <= 100)) {
    throw new Error(`activations.percentile: expected a number in (50, 100], got ${JSON.stringify(cal.percentile)}`);
  }
  const ranges = new Map<string, { min: number; max: number; samples: number[] }>();
  const previous = model.transforms;
  model.transforms = {
    ...previous,
    input: (layer, x) => {
      const data = x.dataSync();
      let r = ranges.get(layer);
      if (!r) ranges.set(layer, (r = { min: Infinity, max: -Infinity, samples: [] }));
      const stride = Math.max(1, Math.ceil((data.length * examples.length) / MAX_SAMPLES));
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
        if (cal.method === "percentile" && i % stride === 0) r.samples.push(v);
      }
      return previous?.input ? previous.input(layer, x) : x;
    },
  };
  try {
    evaluateModel(model, examples, batchSize);
  } finally {
    model.transforms = previous;
  }
  const out = new Map<string, QuantParams>();
  for (const [layer, r] of ranges) {
    let [lo, hi] = [r.min, r.max];
    if (cal.method === "percentile") {
      const sorted = Float32Array.from(r.samples).sort();
      lo = quantileSorted(sorted, (100 - cal.percentile) / 100);
      hi = quantileSorted(sorted, cal.percentile / 100);
    }
    out.set(layer, computeQuantParams(lo, hi, cal.bits, cal.scheme));
  }
  return out;
}

/** Forward transforms that fake-quantize each calibrated layer input (layers not calibrated pass through). */
export function activationTransforms(params: Map<string, QuantParams>, base?: LinearTransforms): LinearTransforms {
  return {
    ...base,
    input: (layer, x) => {
      const x0 = base?.input ? base.input(layer, x) : x;
      const p = params.get(layer);
      if (!p) return x0;
      return fakeQuantize(x0, tf.scalar(p.scale), tf.scalar(p.zeroPoint), p.qmin, p.qmax) as tf.Tensor2D;
    },
  };
}
