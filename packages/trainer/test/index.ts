// Small models, data and fine-tuned fixtures for tests of the trainer and of packages built on it
// (and the compression bench): `@finetrack/trainer/testing`.
export * from "./test-models";
export * from "./compress-fixtures";
