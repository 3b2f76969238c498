// Public API of @finetrack/trainer (core). See README.md for the contract.
export * from "./train/types";
export { initBackend, backendName, type BackendName } from "./backend";
export { encodeText, decodeTokens, BYTE_VOCAB_SIZE, PAD_ID, BOS_ID, EOS_ID } from "./tokenizer/byte-tokenizer";
export { createModel, countParams, disposeModel, cloneModel, transformerConfig } from "./models/create-model";
export { applyMethod, mergeLora, unmergeLora, trainableVariables } from "./peft/apply-method";
export { quantizeWeight, dequantizeValues, quantizedBytes, NF4_TABLE } from "./peft/quantize-weight";
export { createOptimizer } from "./optim/create-optimizer";
export { learningRateAt } from "./optim/learning-rate-at";
export { fineTune, resolveHyper, modelBytes } from "./train/fine-tune";
export { DEFAULT_HYPER } from "./train/resolve-hyper";
export { evaluateModel } from "./train/evaluate-model";
export { measureThroughput, type ThroughputOptions } from "./train/measure-throughput";
export { kernelRoutes, setKernelRoutes, KERNEL_ROUTE_NAMES, type KernelRoutes } from "./layers/kernel-routes";
export { generateTokens, predictClasses } from "./train/generate-tokens";
export { saveCheckpoint, loadCheckpoint } from "./checkpoint/checkpoint-io";
export { listBaseModels, loadBaseModel, type BaseModelSpec } from "./zoo/base-models";
export { generateCorpus } from "./zoo/corpus";
export { pretrain, type PretrainOptions, type PretrainResult } from "./pretrain/pretrain";
