// Switches for the speed routes of the training step, so bench/train-throughput.ts can measure
// each one alone and together against the layers they replace. The numerics test
// (train/kernel-routes.test.ts) holds the first steps' losses equal with every route off or on.
// Defaults are what measured faster (wasm backend; the machine was loaded, so per-route effects were
// measured as CPU time per token, interleaved, and each route left out of all-on: see
// kernels/README.md). Every wasm* route runs on tfjs-wasm's own memory (layers/wasm-kernels.ts):
// the earlier one-pass JS GELU and cross-entropy lost to tfjs's kernels because they copied out of
// and back into that heap; the same passes in WASM SIMD in place win. columnSumsAsMatMul only
// matters with wasmLayerNorm and wasmDense off. Off the wasm backend, wasm* routes take tf ops.

export interface KernelRoutes {
  /** GELU forward and backward as one WASM SIMD pass each (kernels/gelu.ts) instead of ~8 tf kernels. */
  wasmGelu: boolean;
  /** Softmax cross-entropy: loss and gradient in one WASM SIMD pass over the logits (kernels/cross-entropy.ts). */
  wasmCrossEntropy: boolean;
  /** Causal attention in the WASM SIMD kernel instead of the plain-JS one. */
  wasmAttention: boolean;
  /** LayerNorm (and the residual add before it) as one WASM SIMD pass each way (kernels/norm.ts). */
  wasmLayerNorm: boolean;
  /** Dense layers as one tape node: tfjs-wasm's matMul with the bias fused in, a WASM column sum for the bias gradient. */
  wasmDense: boolean;
  /** Embedding gather and its scatter-add gradient as WASM kernels. */
  wasmEmbedding: boolean;
  /** Adam/AdamW: every parameter updated in one WASM SIMD call on tfjs-wasm's memory (optim/wasm-adam.ts). */
  wasmAdamW: boolean;
  /** tf.clone on tfjs-wasm (the tape clones each tensor a gradient saves) shares the buffer instead of copying it. */
  wasmSharedIdentity: boolean;
  /** Bias and LayerNorm parameter gradients (column sums) as one matMul with a ones row. */
  columnSumsAsMatMul: boolean;
  /** The step's batch split over worker threads (train/data-parallel.ts), gradients summed. On: its
   *  CPU critical path measured 1.4-2.0x shorter at tiny and small; busy cores keep one thread. */
  dataParallel: boolean;
}

export const KERNEL_ROUTE_NAMES = ["wasmGelu", "wasmCrossEntropy", "wasmAttention", "columnSumsAsMatMul", "wasmLayerNorm", "wasmDense", "wasmEmbedding", "wasmAdamW", "wasmSharedIdentity", "dataParallel"] as const satisfies readonly (keyof KernelRoutes)[];

/** The shipped setting. */
export const DEFAULT_KERNEL_ROUTES: Readonly<KernelRoutes> = Object.freeze({ wasmGelu: true, wasmCrossEntropy: true, wasmAttention: true, columnSumsAsMatMul: true, wasmLayerNorm: true, wasmDense: true, wasmEmbedding: true, wasmAdamW: true, wasmSharedIdentity: true, dataParallel: true });

const routes: KernelRoutes = { ...DEFAULT_KERNEL_ROUTES };

export function kernelRoutes(): Readonly<KernelRoutes> {
  return routes;
}

/** Turns routes on or off; returns the previous setting so a caller can restore it. */
export function setKernelRoutes(next: Partial<KernelRoutes>): KernelRoutes {
  const before = { ...routes };
  Object.assign(routes, next);
  return before;
}
