// Switches for the speed routes of the training step, so bench/train-throughput.ts can measure
// each one alone and together against the layers they replace. Every route is on by default; the
// numerics test (train/kernel-routes.test.ts) holds the first steps' losses equal with them off.

export interface KernelRoutes {
  /** GELU as one JS pass that also keeps its derivative (backward = one multiply). */
  fusedGelu: boolean;
  /** Softmax cross-entropy as one JS pass over the logits that also keeps its gradient. */
  fusedCrossEntropy: boolean;
  /** Causal attention in the WASM SIMD kernel instead of the plain-JS one. */
  wasmAttention: boolean;
  /** Bias and LayerNorm parameter gradients (column sums) as one matMul with a ones row. */
  columnSumsAsMatMul: boolean;
}

export const KERNEL_ROUTE_NAMES = ["fusedGelu", "fusedCrossEntropy", "wasmAttention", "columnSumsAsMatMul"] as const satisfies readonly (keyof KernelRoutes)[];

const routes: KernelRoutes = { fusedGelu: true, fusedCrossEntropy: true, wasmAttention: true, columnSumsAsMatMul: true };

export function kernelRoutes(): Readonly<KernelRoutes> {
  return routes;
}

/** Turns routes on or off; returns the previous setting so a caller can restore it. */
export function setKernelRoutes(next: Partial<KernelRoutes>): KernelRoutes {
  const before = { ...routes };
  Object.assign(routes, next);
  return before;
}
