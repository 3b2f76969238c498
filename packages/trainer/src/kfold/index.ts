export { kfoldSplits, meanStd } from "./kfold-splits";
// runKfold trains each fold as a tracked run, so it lives with the runs (run/); kept here for the ./kfold export.
export { runKfold, type KfoldResult } from "../run/run-kfold";
export { evaluateEnsemble } from "./evaluate-ensemble";
