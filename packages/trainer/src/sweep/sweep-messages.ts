import type { TrainConfig } from "../config/train-config";
import type { TrackingOptions } from "../run/run-training";
import type { RunOutcome } from "../run/run-config";

/** Parent -> worker. */
export type WorkerCommand = { type: "job"; index: number; config: TrainConfig; tracking?: TrackingOptions; cacheDir?: string } | { type: "exit" };

/** Worker -> parent (and what runSweep reports to its caller). */
export type SweepEvent =
  | { type: "start"; index: number; worker: number; name: string }
  | { type: "status"; index: number; worker: number; message: string }
  | { type: "step"; index: number; worker: number; step: number; totalSteps: number; loss: number }
  | { type: "done"; index: number; worker: number; outcome: RunOutcome }
  | { type: "failed"; index: number; worker: number; error: string };
