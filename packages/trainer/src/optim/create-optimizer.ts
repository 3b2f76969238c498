// Optimizers written out by hand: tfjs has no AdamW, and owning the update keeps decoupled weight
// decay, per-parameter decay masks and state under our control. The update runs in JS over the
// flat parameter arrays: one read and one write per variable instead of ~10 small tensor kernels,
// which dominate the step time of small models.
import * as tf from "@tensorflow/tfjs-core";
import type { HyperParams } from "../types";
import { kernelRoutes } from "../layers/kernel-routes";
import { createWasmAdam, type WasmAdam } from "./wasm-adam";

/** The hyperparameters an optimizer reads. */
export type OptimizerSettings = Pick<HyperParams, "optim" | "momentum" | "adam_beta1" | "adam_beta2" | "adam_epsilon" | "weight_decay">;

export type GradientMap = Record<string, tf.Tensor | Float32Array>;

export interface Optimizer {
  /** One update of every variable with its gradient (keyed by the variable's tf name) at learning
   *  rate `lr`; gradients are multiplied by `gradScale` first (global-norm clipping). */
  step(params: { name: string; variable: tf.Variable }[], grads: GradientMap, lr: number, gradScale?: number): void;
  /** Number of updates applied so far. */
  readonly steps: number;
  dispose(): void;
}

/** Weight decay applies to matrices only (not biases, LayerNorm gains or gates), as in HF Trainer. */
export function decays(v: tf.Variable): boolean {
  return v.rank >= 2;
}

/**
 * adamw: p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + ε)        (Loshchilov & Hutter; torch.optim.AdamW)
 * adam:  g ← g + wd·p;  p ← p − lr·m̂/(√v̂ + ε)       (torch.optim.Adam, L2-coupled decay)
 * sgd:   g ← g + wd·p;  b ← μ·b + g (b₁ = g);  p ← p − lr·b   (torch.optim.SGD, dampening 0)
 */
export function createOptimizer(s: OptimizerSettings): Optimizer {
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  let t = 0;
  // The WASM route is chosen at the first step and kept: the moments live on one side only.
  let wasm: WasmAdam | null | undefined;
  const slot = (map: Map<string, Float32Array>, name: string, n: number) => {
    let x = map.get(name);
    if (!x) {
      x = new Float32Array(n);
      map.set(name, x);
    }
    return x;
  };
  return {
    get steps() {
      return t;
    },
    step(params, grads, lr, gradScale = 1) {
      t += 1;
      if (wasm === undefined) wasm = s.optim !== "sgd" && kernelRoutes().wasmAdamW ? createWasmAdam(s, decays) : null;
      if (wasm) {
        wasm.step(params, grads, lr, gradScale, t);
        return;
      }
      const bc1 = 1 - Math.pow(s.adam_beta1, t);
      const bc2 = 1 - Math.pow(s.adam_beta2, t);
      for (const { name, variable } of params) {
        const gt = grads[variable.name];
        if (!gt) continue;
        const g = gt instanceof Float32Array ? gt : (gt.dataSync() as Float32Array);
        const p = (variable.dataSync() as Float32Array).slice();
        const n = p.length;
        const wd = decays(variable) ? s.weight_decay : 0;
        if (s.optim === "sgd") {
          const first = !m.has(name);
          const buf = slot(m, name, n);
          for (let i = 0; i < n; i++) {
            const gi = g[i] * gradScale + wd * p[i];
            if (s.momentum > 0) {
              buf[i] = first ? gi : s.momentum * buf[i] + gi;
              p[i] -= lr * buf[i];
            } else p[i] -= lr * gi;
          }
        } else {
          const mm = slot(m, name, n);
          const vv = slot(v, name, n);
          const coupled = s.optim === "adam" ? wd : 0;
          const decay = s.optim === "adamw" ? 1 - lr * wd : 1;
          for (let i = 0; i < n; i++) {
            const gi = g[i] * gradScale + coupled * p[i];
            mm[i] = s.adam_beta1 * mm[i] + (1 - s.adam_beta1) * gi;
            vv[i] = s.adam_beta2 * vv[i] + (1 - s.adam_beta2) * gi * gi;
            p[i] = p[i] * decay - (lr * (mm[i] / bc1)) / (Math.sqrt(vv[i] / bc2) + s.adam_epsilon);
          }
        }
        variable.assign(tf.tensor(p, variable.shape));
      }
    },
    dispose() {
      wasm?.dispose();
      m.clear();
      v.clear();
    },
  };
}
