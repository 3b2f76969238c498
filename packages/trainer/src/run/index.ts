export { runTraining, defaultRunName, type RunTrainingOptions, type RunTrainingResult, type TrackingOptions } from "./run-training";
export { runConfig, type RunOutcome } from "./run-config";
export { encodeSplits, loadSplitRecords, type PreparedData, type DatasetInfo } from "../prepare/prepare-data";
export { resolveBaseModel } from "../prepare/resolve-base-model";
export { methodFromConfig, hyperFromConfig } from "./trainer-options";
export { runPretraining, type RunPretrainingOptions } from "./run-pretraining";
