// Forward passes of both families, written with low-level ops so every linear layer goes through
// one place where PEFT (LoRA, QLoRA dequantization, adapters, prompts) and freezing apply.
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel, TransformerConfig } from "../types";
import { dense, denseFrozen } from "../layers/dense";
import { causalAttention } from "../layers/attention-core";
import { embed } from "../layers/embedding";
import { addLayerNorm, layerNorm } from "../layers/layer-norm";
import { gelu } from "../layers/gelu";
import { dropout } from "../layers/dropout";
import { dequantizeTensor } from "./quantize-weight";
import { loraScale } from "./lora-scale";
import { attentionRef, denseRef, geluRef, layerNormRef } from "../layers/reference-ops";

export interface ForwardContext {
  training: boolean;
  /** Model dropout rate (used only when training). */
  dropout: number;
  /** Seed of this step; each dropout call derives its own. */
  seed: number;
  /** Names of variables that receive gradients; everything else takes the frozen fast path. */
  trainable: Set<string>;
  /** Transposes of frozen weights cached across steps (filled lazily). */
  frozenT?: Map<string, tf.Tensor2D>;
  /** Use tf's autodiff ops instead of the custom-gradient layers (benchmark baseline only). */
  reference?: boolean;
}

class Runner {
  private drop = 0;
  constructor(
    readonly model: LoadedModel,
    readonly ctx: ForwardContext,
  ) {}

  param(name: string): tf.Tensor {
    const v = this.model.weights.get(name) ?? this.model.extra.get(name);
    if (v) return v;
    const q = this.model.quantized?.get(name);
    if (q) return dequantizeTensor(q);
    throw new Error(`model '${this.model.name}' has no parameter '${name}'`);
  }

  maybeDropout(x: tf.Tensor, rate = this.ctx.dropout): tf.Tensor {
    if (!this.ctx.training || rate <= 0) return x;
    this.drop += 1;
    return dropout(x, rate, (this.ctx.seed * 7919 + this.drop * 104729) % 2147483647);
  }

  /** x [n, in] -> [n, out] through base weight (+ LoRA delta when not merged). */
  linear(name: string, x: tf.Tensor2D): tf.Tensor2D {
    const wName = `${name}.weight`;
    const hooks = this.model.transforms;
    if (hooks?.input) x = hooks.input(name, x);
    let w = this.param(wName) as tf.Tensor2D;
    if (hooks?.weight) w = hooks.weight(name, w);
    const b = (this.model.weights.get(`${name}.bias`) ?? null) as tf.Tensor1D | null;
    let y: tf.Tensor2D;
    if (this.ctx.reference) {
      y = denseRef(x, w, b);
    } else if (this.ctx.trainable.has(wName)) {
      y = dense(x, w, b);
    } else {
      let wT: tf.Tensor2D | undefined;
      // A transformed weight is a per-step temporary: its transpose cannot be cached.
      if (this.ctx.frozenT && this.model.weights.has(wName) && !hooks?.weight) {
        wT = this.ctx.frozenT.get(wName);
        if (!wT) {
          wT = tf.keep(tf.transpose(w));
          this.ctx.frozenT.set(wName, wT);
        }
      }
      y = denseFrozen(x, w, b, wT);
    }
    const method = this.model.method;
    const a = this.model.extra.get(`${name}.lora_A`);
    if (a && method && !method.merged) {
      const bm = this.model.extra.get(`${name}.lora_B`)!;
      const xd = this.maybeDropout(x, method.config.lora_dropout ?? 0) as tf.Tensor2D;
      y = tf.add(y, tf.mul(dense(dense(xd, a as tf.Tensor2D), bm as tf.Tensor2D), loraScale(method.config)));
    }
    return y;
  }

  /** Houlsby bottleneck with its own skip connection, if the method added one at `name`. */
  adapter(name: string, h: tf.Tensor2D): tf.Tensor2D {
    const down = this.model.extra.get(`${name}.down.weight`);
    if (!down) return h;
    const g = this.model.extra;
    const z = gelu(dense(h, down as tf.Tensor2D, g.get(`${name}.down.bias`) as tf.Tensor1D)) as tf.Tensor2D;
    return tf.add(h, dense(z, g.get(`${name}.up.weight`) as tf.Tensor2D, g.get(`${name}.up.bias`) as tf.Tensor1D));
  }

  /** (IA)³ rescaling of an activation, if the method added a vector at `name`. */
  ia3(name: string, x: tf.Tensor2D): tf.Tensor2D {
    const l = this.model.extra.get(`${name}.ia3`);
    return l ? tf.mul(x, l) : x;
  }

  norm(name: string, x: tf.Tensor2D): tf.Tensor2D {
    const norm = this.ctx.reference ? layerNormRef : layerNorm;
    return norm(x, this.param(`${name}.gamma`) as tf.Tensor1D, this.param(`${name}.beta`) as tf.Tensor1D);
  }

  /** The residual sum x + a and its LayerNorm `name` (one kernel each way on the wasmLayerNorm route). */
  addNorm(name: string, x: tf.Tensor2D, a: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    if (this.ctx.reference) {
      const s = tf.add(x, a) as tf.Tensor2D;
      return [s, this.norm(name, s)];
    }
    return addLayerNorm(x, a, this.param(`${name}.gamma`) as tf.Tensor1D, this.param(`${name}.beta`) as tf.Tensor1D);
  }
}

/** [b·t, d] -> [b·heads, t, d/heads] */
function splitHeads(x: tf.Tensor2D, b: number, t: number, h: number): tf.Tensor3D {
  const hd = x.shape[1] / h;
  return tf.reshape(tf.transpose(tf.reshape(x, [b, t, h, hd]), [0, 2, 1, 3]), [b * h, t, hd]);
}

function mergeHeads(x: tf.Tensor3D, b: number, t: number, h: number): tf.Tensor2D {
  const hd = x.shape[2];
  return tf.reshape(tf.transpose(tf.reshape(x, [b, h, t, hd]), [0, 2, 1, 3]), [b * t, h * hd]);
}

/** LLaMA-Adapter: queries also attend (softmax of their own) to the layer's learnable prompt,
 *  projected by the frozen k/v weights, scaled per head by a zero-initialised gate. */
function adaptionPrompt(r: Runner, p: string, split: (x: tf.Tensor2D) => tf.Tensor3D, q2d: tf.Tensor2D, b: number, heads: number): tf.Tensor2D | null {
  const prompt = r.model.extra.get(`${p}.adapter_prompt`);
  if (!prompt) return null;
  const q = split(q2d);
  const gate = r.model.extra.get(`${p}.adapter_gate`)!;
  const len = prompt.shape[0];
  const [, t, hd] = q.shape;
  const kp = splitHeads(r.linear(`${p}.attn.k`, prompt as tf.Tensor2D), 1, len, heads); // [heads, len, hd]
  const vp = splitHeads(r.linear(`${p}.attn.v`, prompt as tf.Tensor2D), 1, len, heads);
  const q4 = tf.reshape(q, [b, heads, t, hd]);
  const kT = tf.transpose(kp, [0, 2, 1]); // [heads, hd, len]
  const s = tf.mul(tf.matMul(q4, tf.broadcastTo(kT, [b, heads, hd, len])), 1 / Math.sqrt(hd));
  const o = tf.matMul(tf.softmax(s), tf.broadcastTo(vp, [b, heads, len, hd]));
  return mergeHeads(tf.reshape(tf.mul(o, tf.reshape(gate, [1, heads, 1, 1])), [b * heads, t, hd]), b, t, heads);
}

/** Logits [b·t, vocab] for token ids [b, t] (row-major). */
export function forwardLm(model: LoadedModel, ids: Int32Array, b: number, t: number, ctx: ForwardContext): tf.Tensor2D {
  const cfg = model.config as TransformerConfig;
  if (t > cfg.contextLength) throw new Error(`sequence length ${t} exceeds the model's context ${cfg.contextLength}`);
  const r = new Runner(model, ctx);
  const d = cfg.width;
  const table = r.param("tok_emb") as tf.Tensor2D;
  const tok = ctx.trainable.has("tok_emb") ? embed(table, ids) : tf.gather(table, tf.tensor1d(ids, "int32"));
  const pos = tf.slice(r.param("pos_emb"), [0, 0], [t, d]);
  let x = tf.reshape(tf.add(tf.reshape(tok, [b, t, d]), pos), [b * t, d]) as tf.Tensor2D;
  x = r.maybeDropout(x) as tf.Tensor2D;
  // Each residual add is taken together with the LayerNorm that follows it (the next block's ln1,
  // or ln_f after the last block).
  let h = r.norm("blocks.0.ln1", x);
  for (let i = 0; i < cfg.layers; i++) {
    const p = `blocks.${i}`;
    const q = r.linear(`${p}.attn.q`, h);
    const k = r.ia3(`${p}.attn.k`, r.linear(`${p}.attn.k`, h));
    const v = r.ia3(`${p}.attn.v`, r.linear(`${p}.attn.v`, h));
    const split = (x: tf.Tensor2D) => splitHeads(x, b, t, cfg.heads);
    let att = ctx.reference
      ? mergeHeads(attentionRef(split(q), split(k), split(v)), b, t, cfg.heads)
      : causalAttention(q, k, v, b, t, cfg.heads);
    const extra = adaptionPrompt(r, p, split, q, b, cfg.heads);
    if (extra) att = tf.add(att, extra);
    let a = r.linear(`${p}.attn.o`, att);
    a = r.adapter(`${p}.adapter_attn`, r.maybeDropout(a) as tf.Tensor2D);
    let h2: tf.Tensor2D;
    [x, h2] = r.addNorm(`${p}.ln2`, x, a);
    let f = r.linear(`${p}.ffn.down`, r.ia3(`${p}.ffn.up`, (ctx.reference ? geluRef : gelu)(r.linear(`${p}.ffn.up`, h2)) as tf.Tensor2D));
    f = r.adapter(`${p}.adapter_ffn`, r.maybeDropout(f) as tf.Tensor2D);
    [x, h] = r.addNorm(i + 1 < cfg.layers ? `blocks.${i + 1}.ln1` : "ln_f", x, f);
  }
  return r.linear("head", h);
}

/** Class logits [b, classes] for features [b, inputDim]. */
export function forwardMlp(model: LoadedModel, features: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
  if (model.config.family !== "mlp") throw new Error(`model '${model.name}' is not an MLP`);
  const r = new Runner(model, ctx);
  let x = features;
  model.config.hidden.forEach((_, i) => {
    x = r.ia3(`mlp.${i}`, tf.relu(r.linear(`mlp.${i}`, x)));
    x = r.adapter(`mlp.${i}.adapter`, r.maybeDropout(x) as tf.Tensor2D);
  });
  return r.linear("head", x);
}
