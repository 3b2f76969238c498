// Loader for kernels/kernels.wasm (AssemblyScript, WASM SIMD) and the glue that makes its functions
// tfjs kernels of the wasm backend. The module imports tfjs-wasm's own WebAssembly.Memory, so a kernel
// reads its inputs where tfjs keeps them and writes outputs tfjs allocated: no copy between heaps,
// no JS pass over the data. Each kernel is registered with tf.registerKernel (backend 'wasm') and its
// gradient with tf.registerGradient, so it is one tape node: no customGrad identities around it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { kernelRoutes } from "./kernel-routes";

/** The kernels' exports; every pointer is a byte offset into tfjs-wasm's memory. */
export interface KernelExports {
  attendForward(q: number, k: number, v: number, o: number, p: number, kt: number, b: number, t: number, heads: number, hd: number): void;
  attendBackward(dO: number, q: number, k: number, v: number, p: number, dq: number, dk: number, dv: number, kt: number, ds: number, b: number, t: number, heads: number, hd: number): void;
  layerNormForward(x: number, a: number, s: number, g: number, b: number, y: number, mean: number, rstd: number, n: number, d: number, eps: number): void;
  layerNormBackward(dy: number, x: number, g: number, mean: number, rstd: number, dres: number, dx: number, dg: number, db: number, n: number, d: number): void;
  columnSums(x: number, out: number, n: number, d: number): void;
  geluForward(x: number, y: number, n: number): void;
  geluBackward(dy: number, x: number, dx: number, n: number): void;
  crossEntropy(z: number, targets: number, w: number, grad: number, rows: number, n: number, v: number, denom: number): void;
  sumSquares(table: number, count: number): number;
  adamStep(table: number, count: number, lr: number, b1: number, b2: number, eps: number, stepSize: number, invBc2: number, wd: number, coupled: number, gradScale: number): void;
  gatherRows(table: number, ids: number, out: number, n: number, d: number): void;
  scatterAddRows(dy: number, ids: number, out: number, n: number, d: number, rows: number): void;
  transpose2d(x: number, out: number, n: number, d: number): void;
}

/** The parts of tfjs-wasm's BackendWasm the kernels use (not in its public typings). */
interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  incRef(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

export interface Kernels {
  fn: KernelExports;
  /** Byte offset of a tensor's data. */
  ptr(t: tf.TensorInfo): number;
  /** A new float32 output (uninitialised). */
  out(shape: number[]): tf.TensorInfo;
  /** A block of at least `bytes` that stays valid until the next scratch() call; 16-byte aligned. */
  scratch(bytes: number): number;
  /** malloc/free on tfjs's heap, for state that outlives a kernel call (optimizer moments). */
  malloc(bytes: number): number;
  free(ptr: number): void;
  /** A Float32Array view of `n` floats at `ptr` (make a new one after any allocation: memory may grow). */
  f32(ptr: number, n: number): Float32Array;
  i32(ptr: number, n: number): Int32Array;
}

let module: WebAssembly.Module | null | undefined;
const instances = new WeakMap<object, Kernels>();

function compiled(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  try {
    module = new WebAssembly.Module(readFileSync(fileURLToPath(new URL("../../kernels/kernels.wasm", import.meta.url))));
  } catch {
    module = null; // no SIMD in this runtime: the routes fall back to tf ops
  }
  return module;
}

/** tfjs-wasm's Identity copies the tensor; the tape clones every tensor a gradient saves, so with
 *  the wasmSharedIdentity route it shares the buffer by reference count instead, as tfjs's cpu and
 *  webgl backends do (tensors are immutable; no kernel writes into its inputs). Installed once the
 *  wasm backend has registered its own kernels. */
function shareIdentity(): void {
  const own = tf.getKernel("Identity", "wasm");
  if (!own || (own as { shared?: boolean }).shared) return;
  tf.unregisterKernel("Identity", "wasm");
  tf.registerKernel({
    ...own,
    shared: true,
    kernelFunc: (args) => {
      const x = args.inputs.x!;
      if (!kernelRoutes().wasmSharedIdentity || x.dtype === "string") return own.kernelFunc(args);
      (args.backend as unknown as WasmBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  } as tf.KernelConfig);
}

function bind(be: WasmBackend): Kernels {
  shareIdentity();
  const memory = be.wasm.asm.memory;
  const fn = new WebAssembly.Instance(compiled()!, { env: { memory } }).exports as unknown as KernelExports;
  let scratchPtr = 0;
  let scratchBytes = 0;
  return {
    fn,
    ptr: (t) => be.dataIdMap.get(t.dataId).memoryOffset,
    out: (shape) => be.makeOutput(shape, "float32"),
    scratch(bytes) {
      if (bytes > scratchBytes) {
        if (scratchPtr) be.wasm._free(scratchPtr);
        scratchBytes = Math.max(bytes, scratchBytes * 2);
        scratchPtr = be.wasm._malloc(scratchBytes + 16) >>> 0;
      }
      return (scratchPtr + 15) & ~15;
    },
    malloc: (bytes) => be.wasm._malloc(bytes) >>> 0,
    free: (ptr) => be.wasm._free(ptr),
    f32: (ptr, n) => new Float32Array(memory.buffer, ptr, n),
    i32: (ptr, n) => new Int32Array(memory.buffer, ptr, n),
  };
}

/** The kernels bound to a tfjs-wasm backend instance. */
export function kernelsOf(backend: unknown): Kernels {
  let k = instances.get(backend as object);
  if (!k) {
    k = bind(backend as WasmBackend);
    instances.set(backend as object, k);
  }
  return k;
}

/** True when the active backend is tfjs-wasm and the kernels loaded (WASM SIMD available). */
export function wasmKernelsReady(): boolean {
  return tf.getBackend() === "wasm" && compiled() !== null;
}

/** The kernels of the active backend, or null when it is not tfjs-wasm (callers take tf ops then). */
export function activeKernels(): Kernels | null {
  return wasmKernelsReady() ? kernelsOf(tf.backend()) : null;
}

type Infos = Record<string, tf.TensorInfo>;

/** Registers `name` as a kernel of the wasm backend (once per process: the registry is global). */
export function defineKernel(name: string, run: (k: Kernels, inputs: Infos, attrs: Record<string, unknown>, backend: tf.KernelBackend) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(name, "wasm")) return;
  tf.registerKernel({
    kernelName: name,
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs, backend }) => run(kernelsOf(backend), inputs as Infos, attrs as Record<string, unknown>, backend as tf.KernelBackend),
  });
}

/** Registers the gradient of kernel `name`: `saved` is the inputs named in `inputsToSave`, then the
 *  outputs flagged in `outputsToSave`; dys has one entry per output (zeros where unused). */
export function defineGradient(name: string, inputsToSave: string[], outputsToSave: boolean[], grad: (dys: tf.Tensor[], saved: tf.Tensor[], attrs: Record<string, unknown>) => Record<string, () => tf.Tensor>): void {
  if (tf.getGradient(name)) return;
  tf.registerGradient({
    kernelName: name,
    inputsToSave,
    outputsToSave,
    gradFunc: (dy, saved, attrs) => grad(Array.isArray(dy) ? dy : [dy], saved, attrs as unknown as Record<string, unknown>),
  });
}

// A private float32 buffer for a kernel to write a by-product its gradient reads (attention's P,
// cross-entropy's gradient). Passed as an input, not returned as an output: the tape would give an
// unused output a zero-filled gradient built in JS and copied into the heap, every step. It is made
// from nothing, so the tape never differentiates through it.
defineKernel("FtBuffer", (k, _inputs, attrs) => k.out(attrs.shape as number[]));

/** A new, uninitialised float32 tensor on tfjs-wasm that only the kernel it is passed to writes. */
export function privateBuffer(shape: number[]): tf.Tensor {
  return run<tf.Tensor>("FtBuffer", {}, { shape });
}

/** Runs a registered kernel on the active backend. */
export function run<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): T {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T;
}
