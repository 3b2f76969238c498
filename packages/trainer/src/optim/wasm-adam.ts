// Adam/AdamW for every parameter in one WASM SIMD call (kernels/adamw.ts) on tfjs-wasm's memory:
// the parameters are read where tfjs keeps them, the moments live in one flat block of that heap,
// each new value is written straight into a tensor tfjs allocated, which the variable then takes.
// Per step that is one copy of the gradients (when they come as Float32Arrays) and no JS pass.
import * as tf from "@tensorflow/tfjs-core";
import { activeKernels, type Kernels } from "../layers/wasm-kernels";

const ENTRY = 7; // i32 per tensor in the kernel's table: param, grad, m, v, out, length, decays

/** The settings it reads (create-optimizer's OptimizerSettings has them; named here so the two
 *  modules do not import each other). */
export interface AdamSettings {
  optim: string;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
  weight_decay: number;
}

export interface WasmAdam {
  step(params: { name: string; variable: tf.Variable }[], grads: Record<string, tf.Tensor | Float32Array>, lr: number, gradScale: number, t: number): void;
  dispose(): void;
}

/** Null when the active backend is not tfjs-wasm. */
export function createWasmAdam(s: AdamSettings, decays: (v: tf.Variable) => boolean): WasmAdam | null {
  const k0 = activeKernels();
  if (!k0) return null;
  const k: Kernels = k0;
  /** Float offset of each parameter's moments in the flat block, by name; the block holds m then v. */
  const slots = new Map<string, number>();
  let block = 0;
  let floats = 0;

  /** Makes room for moments of every parameter in `list`, keeping the ones already there. */
  function ensure(list: { name: string; size: number }[]): void {
    const missing = list.filter((p) => !slots.has(p.name));
    if (missing.length === 0) return;
    const old = { block, floats, slots: new Map(slots) };
    let next = floats;
    for (const p of missing) {
      slots.set(p.name, next);
      next += (p.size + 3) & ~3;
    }
    block = k.malloc(next * 8);
    const moments = k.f32(block, next * 2);
    moments.fill(0);
    if (old.block) {
      const prev = k.f32(old.block, old.floats * 2);
      moments.set(prev.subarray(0, old.floats), 0);
      moments.set(prev.subarray(old.floats), next);
      k.free(old.block);
    }
    floats = next;
  }

  return {
    step(params, grads, lr, gradScale, t) {
      const live = params.filter((p) => grads[p.variable.name]);
      ensure(live.map((p) => ({ name: p.name, size: p.variable.size })));
      const outs = live.map((p) => k.out(p.variable.shape));
      // Gradients that arrive as JS arrays are staged after the table, 16-byte aligned.
      const staged = live.map((p) => (grads[p.variable.name] instanceof Float32Array ? (p.variable.size + 3) & ~3 : 0));
      const tableBytes = (live.length * ENTRY * 4 + 15) & ~15;
      const base = k.scratch(tableBytes + staged.reduce((a, b) => a + b, 0) * 4);
      const table = k.i32(base, live.length * ENTRY);
      let at = base + tableBytes;
      live.forEach((p, i) => {
        const g = grads[p.variable.name];
        let gPtr: number;
        if (g instanceof Float32Array) {
          k.f32(at, g.length).set(g);
          gPtr = at;
          at += staged[i] * 4;
        } else gPtr = k.ptr(g);
        const m = block + slots.get(p.name)! * 4;
        table.set([k.ptr(p.variable), gPtr, m, m + floats * 4, k.ptr(outs[i]), p.variable.size, decays(p.variable) ? 1 : 0], i * ENTRY);
      });
      const stepSize = lr / (1 - Math.pow(s.adam_beta1, t));
      const invBc2 = 1 / (1 - Math.pow(s.adam_beta2, t));
      k.fn.adamStep(base, live.length, lr, s.adam_beta1, s.adam_beta2, s.adam_epsilon, stepSize, invBc2, s.weight_decay, s.optim === "adam" ? 1 : 0, gradScale);
      live.forEach((p, i) => {
        const next = tf.engine().makeTensorFromTensorInfo(outs[i]);
        p.variable.assign(next);
        next.dispose();
      });
    },
    dispose() {
      if (block) k.free(block);
      block = 0;
      floats = 0;
      slots.clear();
    },
  };
}
