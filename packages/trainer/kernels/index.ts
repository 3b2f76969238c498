// The trainer's WASM SIMD kernels, one module (kernels.wasm) that imports tfjs-wasm's memory, so
// every kernel reads and writes tensors where tfjs keeps them: no copies between heaps. The module
// has no data segments and allocates nothing; every pointer is a byte offset the caller got from
// tfjs (a tensor's memory or a malloc'd scratch block). Built by `npm run build:kernels`.
export { attendForward, attendBackward } from "./attention";
export { layerNormForward, layerNormBackward, columnSums } from "./norm";
export { geluForward, geluBackward } from "./gelu";
export { crossEntropy } from "./cross-entropy";
export { sumSquares, adamStep } from "./adamw";
export { gatherRows, scatterAddRows } from "./embedding";
export { transpose2d } from "./transpose";
