import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { init, type Run } from "@finetrack/sdk";

export interface SeedTarget {
  baseUrl: string;
  apiKey: string;
  project: string;
}

const home = mkdtempSync(path.join(tmpdir(), "finetrack-e2e-sdk-"));

export async function startRun(target: SeedTarget, fields: Omit<Parameters<typeof init>[0], "project" | "url" | "apiKey" | "home">): Promise<Run> {
  return init({ ...fields, project: target.project, url: target.baseUrl, apiKey: target.apiKey, home, quiet: true, tuning: { flushIntervalMs: 200 } });
}

/** Curves of a run made to overfit: training keeps falling, validation bottoms out at `bestStep` and climbs. */
export function overfitCurve(step: number, bestStep: number) {
  const train = 2.2 * Math.exp(-step / 60) + 0.05;
  const val = 0.9 + 1.3 * Math.exp(-step / 60) + (step > bestStep ? ((step - bestStep) / 100) ** 2 * 0.6 : 0);
  return { train, val };
}

/** A healthy run: both curves fall to a floor set by `floor` (the planted factor effect). */
export function healthyCurve(step: number, floor: number, wobble: number) {
  const train = floor * 0.9 + 1.5 * Math.exp(-step / 40);
  const val = floor + 1.5 * Math.exp(-step / 40) + wobble * Math.sin(step / 7) * 0.01;
  return { train, val };
}

/** Logs a finished run in one go. */
export async function logRun(
  target: SeedTarget,
  fields: Omit<Parameters<typeof init>[0], "project" | "url" | "apiKey" | "home">,
  steps: number,
  curve: (step: number) => { train: number; val: number },
  evalEvery = 5,
): Promise<string> {
  const run = await startRun(target, fields);
  for (let step = 0; step <= steps; step++) {
    const c = curve(step);
    run.log({ "train/loss": c.train }, { step, epoch: step / 50 });
    if (step % evalEvery === 0) run.log({ "val/loss": c.val }, { step, epoch: step / 50 });
  }
  await run.finish({ status: "finished" });
  return run.id;
}
