// Switches for the speed routes of the training step, so bench/train-throughput.ts can measure
// each one alone and together against the layers they replace. The numerics test
// (train/kernel-routes.test.ts) holds the first steps' losses equal with every route off or on.
// Defaults are what measured faster (bench/train-throughput.ts, wasm, 2 cores under load): the
// WASM attention kernel (1.7-2.0x alone) and the column sums (1.1x); the one-pass JS GELU and
// cross-entropy came out 0.7-0.9x in the least loaded run (V8's Math.exp/tanh lose to tfjs-wasm's
// kernels, and each pass copies out of and back into the WASM heap), so they stay off.

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
export const DEFAULT_KERNEL_ROUTES: Readonly<KernelRoutes> = Object.freeze({ wasmGelu: false, wasmCrossEntropy: false, wasmAttention: true, columnSumsAsMatMul: true, wasmLayerNorm: false, wasmDense: false, wasmEmbedding: false, wasmAdamW: false, wasmSharedIdentity: false, dataParallel: true });

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
