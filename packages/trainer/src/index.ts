// Public API of @finetrack/trainer (core). See README.md for the contract.
export * from "./train/types";
export { initBackend, backendName, type BackendName } from "./backend";
export { encodeText, decodeTokens, BYTE_VOCAB_SIZE, PAD_ID, BOS_ID, EOS_ID } from "./tokenizer/byte-tokenizer";
export { createModel, countParams, disposeModel, cloneModel } from "./models/create-model";
export { applyMethod, mergeLora, unmergeLora } from "./peft/apply-method";
export { fineTune, resolveHyper } from "./train/fine-tune";
export { evaluateModel } from "./train/evaluate-model";
export { generateTokens, predictClasses } from "./train/generate-tokens";
export { saveCheckpoint, loadCheckpoint } from "./checkpoint/checkpoint-io";
export { listBaseModels, loadBaseModel, type BaseModelSpec } from "./zoo/base-models";
export { generateCorpus } from "./zoo/corpus";
export { pretrain, type PretrainOptions, type PretrainResult } from "./pretrain/pretrain";
