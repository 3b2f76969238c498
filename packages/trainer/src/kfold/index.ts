export { kfoldSplits, meanStd } from "./kfold-splits";
export { runKfold, type KfoldResult } from "./run-kfold";
export { evaluateEnsemble } from "./evaluate-ensemble";
