// Loader for kernels/attention.wasm (AssemblyScript, WASM SIMD): causal attention forward and
// backward on flat Float32Arrays in the natural [b·t, heads·hd] layout. The module has its own
// memory; each call copies its inputs in and its outputs out, so calls never share state.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  attendForward(q: number, k: number, v: number, o: number, p: number, b: number, t: number, heads: number, hd: number): void;
  attendBackward(dO: number, q: number, k: number, v: number, p: number, dq: number, dk: number, dv: number, dp: number, b: number, t: number, heads: number, hd: number): void;
}

let kernel: Exports | null | undefined;

function load(): Exports | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = readFileSync(fileURLToPath(new URL("../../kernels/attention.wasm", import.meta.url)));
    kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => { throw new Error("attention.wasm aborted"); } } }).exports as unknown as Exports;
  } catch {
    kernel = null; // no SIMD in this runtime: callers take the JS kernel
  }
  return kernel;
}

/** True when the WASM kernel can run attention with head width `hd`. */
export function wasmAttentionAvailable(hd: number): boolean {
  return hd % 4 === 0 && load() !== null;
}

/** Byte offsets of `sizes` (in floats) laid one after another past the module's heap base; grows memory to fit. */
function layout(k: Exports, sizes: number[]): { offsets: number[]; heap: Float32Array } {
  let at = (k.heapBase() + 15) & ~15;
  const offsets = sizes.map((n) => {
    const o = at;
    at += ((n * 4 + 15) & ~15);
    return o;
  });
  const need = at - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  return { offsets, heap: new Float32Array(k.memory.buffer) };
}

export interface AttentionDims {
  b: number;
  t: number;
  heads: number;
  hd: number;
}

/** O and P (probabilities, [b·heads, t, t]) for q, k, v [b·t, heads·hd]. */
export function wasmAttendForward(q: Float32Array, k: Float32Array, v: Float32Array, n: AttentionDims): { o: Float32Array; p: Float32Array } {
  const w = load()!;
  const size = q.length;
  const pSize = n.b * n.heads * n.t * n.t;
  const { offsets: [qo, ko, vo, oo, po], heap } = layout(w, [size, size, size, size, pSize]);
  heap.set(q, qo >> 2);
  heap.set(k, ko >> 2);
  heap.set(v, vo >> 2);
  w.attendForward(qo, ko, vo, oo, po, n.b, n.t, n.heads, n.hd);
  return { o: heap.slice(oo >> 2, (oo >> 2) + size), p: heap.slice(po >> 2, (po >> 2) + pSize) };
}

/** [dq, dk, dv] for upstream dO, given attendForward's inputs and P. */
export function wasmAttendBackward(dO: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, p: Float32Array, n: AttentionDims): Float32Array[] {
  const w = load()!;
  const size = q.length;
  const { offsets, heap } = layout(w, [size, size, size, size, p.length, size, size, size, n.t]);
  const [dOo, qo, ko, vo, po, dqo, dko, dvo, dpo] = offsets;
  heap.set(dO, dOo >> 2);
  heap.set(q, qo >> 2);
  heap.set(k, ko >> 2);
  heap.set(v, vo >> 2);
  heap.set(p, po >> 2);
  w.attendBackward(dOo, qo, ko, vo, po, dqo, dko, dvo, dpo, n.b, n.t, n.heads, n.hd);
  return [dqo, dko, dvo].map((o) => heap.slice(o >> 2, (o >> 2) + size));
}
