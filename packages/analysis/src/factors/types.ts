/** A factor's value in one run; null/undefined = missing or not applicable (e.g. lora_rank of a full fine-tune). */
export type FactorValue = string | number | boolean | null | undefined;

/** One run as factor analysis sees it. Runs with a null or non-finite target are skipped (and counted). */
export interface FactorRun {
  id: string;
  target: number | null;
  factors: Record<string, FactorValue>;
}

export type Direction = "minimize" | "maximize";

/** categorical: unordered levels; numeric: linear scale; log: numeric on a log scale (learning rate). */
export type FactorKind = "categorical" | "numeric" | "log";

export type FactorFamily = "dataset" | "base_model" | "hyperparameters";

/** How a factor was read: its kind, levels (categorical) or range (numeric, in the analysed scale). */
export interface FactorInfo {
  name: string;
  kind: FactorKind;
  family: FactorFamily;
  /** Runs where the factor is present. */
  present: number;
  missing: number;
  /** Categorical: level labels ("(missing)" last when any run lacks it). */
  levels?: string[];
  /** Numeric/log: observed range in the analysed scale (log10 for "log"). */
  min?: number;
  max?: number;
  /** False when the factor never varies across the runs (it gets zero importance). */
  varies: boolean;
}

export interface FactorAnalysisOptions {
  direction?: Direction;
  /** Override the inferred kinds (numbers -> numeric, or log when positive and spanning >= 2 decades). */
  kinds?: Record<string, FactorKind>;
  /** Override the family of a factor (default: base_model/baseModel -> base_model, dataset -> dataset). */
  families?: Record<string, FactorFamily>;
  /** Seed of every random choice (forest bootstraps, permutations, bootstrap intervals). Default 42. */
  seed?: number;
}
