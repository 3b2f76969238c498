import { init } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MADE, REAL } from "../../test/import/fixture-paths";
import { runCli } from "../../test/run-cli";

let server: TestServer;
const ids: Record<string, string> = {};
const auth = () => ["--url", server.url, "--api-key", server.apiKey];
const diagnose = (args: string[]) => runCli(["diagnose", ...args, ...auth()]);

/** Logs one run through the SDK with HF callback names (train/loss every `logEvery`, eval/* every `evalEvery`). */
async function logRun(name: string, curves: { steps: number; logEvery: number; evalEvery: number; train: (s: number) => number; val: (s: number) => number; wer?: (s: number) => number }, summary: Record<string, unknown> = {}) {
  const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, name, config: { learning_rate: 5e-4 } });
  for (let step = curves.logEvery; step <= curves.steps; step += curves.logEvery) {
    const metrics: Record<string, number> = { "train/loss": curves.train(step), "train/learning_rate": 5e-4 };
    if (step % curves.evalEvery === 0) {
      metrics["eval/loss"] = curves.val(step);
      if (curves.wer) metrics["eval/wer"] = curves.wer(step);
    }
    run.log(metrics, { step });
  }
  await run.finish({ summary: { train_loss: 0.2, ...summary } });
  ids[name] = run.id;
}

beforeAll(async () => {
  server = await startTestServer();
  const falling = (s: number) => 0.1 + 2 * Math.exp(-s / 400);
  await logRun("overfits", { steps: 3000, logEvery: 10, evalEvery: 100, train: falling, val: (s) => 0.5 + 1.5 * Math.exp(-s / 300) + 0.0003 * Math.max(0, s - 1000) });
  await logRun("whisper", { steps: 4000, logEvery: 25, evalEvery: 500, train: falling, val: (s) => 0.3 + 0.012 * ((s - 1000) / 500) ** 2, wer: (s) => 35 + 40 * Math.exp(-s / 1200) }, { metric_for_best_model: "eval_wer", greater_is_better: false });
  await logRun("lr-too-high", { steps: 1000, logEvery: 10, evalEvery: 100, train: (s) => (s <= 100 ? 2 - 0.007 * s : 1.3 + 0.0012 * (s - 100)), val: (s) => 1.4 + 0.0013 * (s - 100) });
  await logRun("fp16-eval", { steps: 2000, logEvery: 25, evalEvery: 250, train: falling, val: () => Number.NaN });
  const noEval = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, name: "no-eval" });
  for (let step = 1; step <= 50; step++) noEval.log({ "train/loss": 1 / step }, { step });
  await noEval.finish();
  ids["no-eval"] = noEval.id;
});
afterAll(async () => {
  await server?.close();
});

describe("finetrack diagnose", () => {
  it("prints verdict, onset, best step and advice for one run", async () => {
    const { stdout, stderr, code } = await diagnose(["--run", ids.overfits]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^run ${ids.overfits} \\(overfits\\)  \\[train/loss, eval/loss\\]\n`));
    expect(stdout).toMatch(/\n {2}verdict {3}overfitting \(confidence \d+%\)\n/);
    expect(stdout).toMatch(/\n {2}onset {5}step 1[01]\d\d\n/);
    expect(stdout).toMatch(/\n {2}best {6}step 1[01]\d\d by val loss \(0\.\d+\)\n/);
    expect(stdout).toMatch(/\n {2}advice {4}1\. early stopping is off/);
  });

  it("reads the task metric: eval loss rising while WER improves is not plain overfitting", async () => {
    const { stdout, code } = await diagnose(["--run", ids.whisper]);
    expect(code).toBe(0);
    expect(stdout).toContain("[train/loss, eval/loss, eval/wer]");
    expect(stdout).toMatch(/verdict {3}loss overfits, the metric still improves \(confidence \d+%, only 8 evaluations\)/);
    expect(stdout).toContain("summary   Loss overfits, the metric still improves: keep the checkpoint by the metric");
    expect(stdout).toMatch(/best {6}step 4000 by eval\/wer \(36\.\d+\)/);
  });

  it("--json for every run of a project: degrading and a broken evaluation are told apart from overfitting and divergence", async () => {
    const { stdout, code } = await diagnose(["--project", server.project, "--json"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { runs: Array<{ name: string; verdict: string | null; onsetStep: number | null; best: { step: number; by: string } | null; summary: string; advice: { id: string }[] }>; failed: string[] };
    const byName = Object.fromEntries(out.runs.map((r) => [r.name, r]));
    expect(out.runs.map((r) => r.name)).toEqual(["overfits", "whisper", "lr-too-high", "fp16-eval", "no-eval"]);
    expect(byName.overfits.verdict).toBe("overfitting");
    expect(byName.whisper).toMatchObject({ verdict: "metric_still_improving", onsetStep: 1000, best: { step: 4000, by: "eval/wer" } });
    expect(byName["lr-too-high"]).toMatchObject({ verdict: "degrading", onsetStep: null });
    expect(byName["lr-too-high"].advice[0].id).toBe("lower_learning_rate");
    expect(byName["fp16-eval"].verdict).toBe("eval_broken");
    expect(byName["fp16-eval"].summary).toMatch(/^The evaluation is broken: val loss is NaN at 8 of 8 evaluations/);
    expect(byName["no-eval"]).toMatchObject({ verdict: null, best: null });
    expect(byName["no-eval"].summary).toMatch(/has not logged a validation loss curve/);
    expect(out.failed).toEqual([]);
  });

  it("--fail-on exits 1 naming the runs whose verdict matches, 0 when none does", async () => {
    const failing = await diagnose(["--project", server.project, "--fail-on", "overfitting,diverged,degrading"]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe(`finetrack diagnose: ${ids.overfits} is overfitting, ${ids["lr-too-high"]} is degrading (--fail-on overfitting,diverged,degrading)\n`);
    expect(failing.stdout).toContain(`run ${ids["fp16-eval"]} (fp16-eval)`);
    const json = await diagnose(["--run", ids.whisper, ids["lr-too-high"], "--json", "--fail-on", "degrading"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).failed).toEqual([ids["lr-too-high"]]);
    const passing = await diagnose(["--run", ids.whisper, ids["fp16-eval"], "--fail-on", "overfitting,diverged,degrading"]);
    expect(passing.code).toBe(0);
    expect(passing.stderr).toBe("");
  });

  it("refuses an unknown verdict and an unknown run, saying what was expected", async () => {
    const bad = await diagnose(["--run", ids.overfits, "--fail-on", "overfitting,overfit"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--fail-on <verdicts>' argument 'overfitting,overfit' is invalid. expected a comma-separated list of verdicts (overfitting, metric_still_improving, degrading, diverged, eval_broken, still_improving, good_fit, underfitting, too_short), got 'overfit'");
    const missing = await diagnose(["--run", "no-such-run"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run 'no-such-run' not found/);
  });

  it("diagnoses what `finetrack import` brought in: a Whisper Trainer folder (metric_for_best_model wer) and TensorBoard runs", async () => {
    const imported = await runCli(["import", `${MADE}hf-whisper-wer`, `${REAL}tensorboard/runs`, "--project", server.project, ...auth()]);
    expect(imported.code).toBe(0);
    const { items } = await server.client.run.list.query({ project: server.project, limit: 50 });
    const id = (name: string) => items.find((r) => r.name.endsWith(name))!.id;
    const { stdout, code } = await diagnose(["--run", id("whisper-small-hi"), id("lr-3e-3"), id("lr-1e-3"), "--json", "--fail-on", "diverged,eval_broken"]);
    expect(code).toBe(0);
    const [whisper, overfits, fine] = JSON.parse(stdout).runs;
    expect(whisper).toMatchObject({ trainKey: "train/loss", valKey: "eval/loss", metricKey: "eval/wer", verdict: "metric_still_improving", onsetStep: 1000, best: { step: 4000, by: "eval/wer" } });
    expect(whisper.metric).toMatchObject({ greaterIsBetter: false, selectsCheckpoint: true, best: { step: 4000, value: 35.1413 } });
    // the recorded SummaryWriter runs (fixture README): lr-3e-3 overfits from about step 100 and has one NaN Loss/val at step 150
    expect(overfits).toMatchObject({ trainKey: "Loss/train", valKey: "Loss/val", verdict: "overfitting" });
    expect(Math.abs(overfits.onsetStep - 103)).toBeLessThanOrEqual(10);
    expect(overfits.summary).toContain("val loss was NaN at 1 of 40 evaluations (first at step 150) and finite again after: left out");
    expect(fine.verdict).toBe("still_improving");
  });
});
