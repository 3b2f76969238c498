// Optimizers written out by hand: tfjs has no AdamW, and owning the update keeps decoupled weight
// decay, per-parameter decay masks and state snapshots under our control.
import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerName } from "../train/types";

export interface OptimizerSettings {
  optim: OptimizerName;
  momentum: number;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
  weight_decay: number;
}

export interface Optimizer {
  /** One update of every variable with its gradient at learning rate `lr`. */
  step(params: { name: string; variable: tf.Variable }[], grads: Record<string, tf.Tensor>, lr: number): void;
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
  const m = new Map<string, tf.Variable>();
  const v = new Map<string, tf.Variable>();
  let t = 0;
  const slot = (map: Map<string, tf.Variable>, name: string, like: tf.Tensor, init?: tf.Tensor) => {
    let x = map.get(name);
    if (!x) {
      x = tf.variable(init ?? tf.zerosLike(like), false);
      map.set(name, x);
    }
    return x;
  };
  return {
    get steps() {
      return t;
    },
    step(params, grads, lr) {
      t += 1;
      tf.tidy(() => {
        for (const { name, variable: p } of params) {
          let g = grads[p.name];
          if (!g) continue;
          const wd = decays(p) ? s.weight_decay : 0;
          if (s.optim === "sgd") {
            if (wd > 0) g = tf.add(g, tf.mul(p, wd));
            const first = !m.has(name);
            const buf = slot(m, name, g, first ? tf.clone(g) : undefined);
            if (!first) buf.assign(tf.add(tf.mul(buf, s.momentum), g));
            p.assign(tf.sub(p, tf.mul(s.momentum > 0 ? buf : g, lr)));
            continue;
          }
          if (s.optim === "adam" && wd > 0) g = tf.add(g, tf.mul(p, wd));
          const mm = slot(m, name, g);
          const vv = slot(v, name, g);
          mm.assign(tf.add(tf.mul(mm, s.adam_beta1), tf.mul(g, 1 - s.adam_beta1)));
          vv.assign(tf.add(tf.mul(vv, s.adam_beta2), tf.mul(tf.square(g), 1 - s.adam_beta2)));
          const mHat = tf.div(mm, 1 - Math.pow(s.adam_beta1, t));
          const vHat = tf.div(vv, 1 - Math.pow(s.adam_beta2, t));
          const base = s.optim === "adamw" && wd > 0 ? tf.mul(p, 1 - lr * wd) : p;
          p.assign(tf.sub(base, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.adam_epsilon)), lr)));
        }
      });
    },
    dispose() {
      for (const x of [...m.values(), ...v.values()]) x.dispose();
      m.clear();
      v.clear();
    },
  };
}
