import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialLaunch } from "./trial-launch";

const trial = { id: "s1-abc", index: 3, runId: "s1-run", assignment: { learning_rate: 0.01, "optim.name": "adam", seed: 2 } };

describe("trialLaunch", () => {
  it("a command trial: ${key} replaced in arguments, values and ids in the environment", () => {
    const launch = trialLaunch({ id: "s1", name: "n", group: "g", command: ["python", "train.py", "--lr", "${learning_rate}", "--opt=${optim.name}"] }, trial, { cliBin: "/x", workDir: "/tmp" });
    expect(launch.argv).toEqual(["python", "train.py", "--lr", "0.01", "--opt=adam"]);
    expect(launch.env).toMatchObject({ FINETRACK_RUN_ID: "s1-run", FINETRACK_SWEEP_ID: "s1", FINETRACK_PARAM_LEARNING_RATE: "0.01", FINETRACK_PARAM_OPTIM_NAME: "adam", FINETRACK_PARAM_SEED: "2" });
    expect(JSON.parse(launch.env.FINETRACK_PARAMS)).toEqual(trial.assignment);
    expect(() => trialLaunch({ id: "s1", name: "n", group: "g", command: ["x", "${lr}"] }, trial, { cliBin: "/x", workDir: "/tmp" })).toThrow(/command argument '\$\{lr\}': no parameter 'lr' in this sweep \(it has learning_rate, optim.name, seed\)/);
  });

  it("a trainer trial: `finetrack train -c` on the base config with the trial's values, in the sweep's group", () => {
    const workDir = mkdtempSync(join(tmpdir(), "ft-trial-"));
    const launch = trialLaunch({ id: "s1", name: "abl", group: "g1", trainer: { base_model: "tiny", dataset: "arithmetic", max_steps: 3 } }, { ...trial, assignment: { learning_rate: 0.01, seed: 2 } }, { cliBin: "/bin/ft.mjs", workDir });
    expect(launch.argv.slice(1, 4)).toEqual(["/bin/ft.mjs", "train", "-c"]);
    const config = JSON.parse(readFileSync(launch.argv[4], "utf8"));
    expect(config).toMatchObject({ base_model: "tiny", learning_rate: 0.01, seed: 2, max_steps: 3, group: "g1", tags: ["sweep:abl"] });
  });
});
