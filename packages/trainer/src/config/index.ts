export { TrainConfig, AugmentationConfig, KfoldConfig, CONFIG_ALIASES, type TrainConfigInput } from "./train-config";
export { ConfigError } from "./config-error";
export { parseConfig } from "./parse-config";
export { readYamlFile, applyOverrides } from "./load-config";
export { loadTrainConfig } from "./load-train-config";
