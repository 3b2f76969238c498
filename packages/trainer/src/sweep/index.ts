export { SweepConfig, SweepParameter } from "./sweep-config";
export { expandSweep, loadSweep, type ExpandedSweep, type SweepJob } from "./expand-sweep";
export { runSweep, type RunSweepOptions, type SweepResult, type SweepJobResult } from "./run-sweep";
export type { SweepEvent } from "./sweep-messages";
export { trialLaunch, substituteCommand, paramEnvName, type TrialSweep, type TrialToLaunch, type TrialLaunch } from "./trial-launch";
