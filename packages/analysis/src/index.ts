// Public API of @finetrack/analysis: pure functions over curves and runs. No I/O.
export { AnalysisInputError } from "./errors";
export type { Series, SeriesPoint, SeriesColumns } from "./curves/types";
export { toSeries } from "./curves/read-series";
export { emaSmooth } from "./curves/ema-smooth";
export { gaussianSmooth } from "./curves/gaussian-smooth";
export { runningAverage, type RunningAverageOptions } from "./curves/running-average";
export { downsampleMinMax } from "./curves/downsample-min-max";
export { lttb } from "./curves/lttb";
export type * from "./overfitting/types";
export type * from "./factors/types";
export { diagnoseOverfitting } from "./overfitting/diagnose-overfitting";
export { earlyStoppingWhatIf } from "./overfitting/early-stopping-what-if";
export { adviseOverfitting, type AdviceContext } from "./overfitting/advise-overfitting";
