import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, runCli } from "../../test/run-cli";

/**
 * Agents are separate `finetrack agent` processes against a real server and Postgres; each trial is
 * a small Node program using the SDK (not the trainer), so the tests stay fast.
 */
const TRIAL = fileURLToPath(new URL("../../test/fixtures/sweep/trial.ts", import.meta.url));
const COMMAND = [process.execPath, "--import", "tsx", TRIAL, "--lr", "${lr}"];

let server: TestServer;
let home: string;
beforeAll(async () => {
  server = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "ft-agent-test-"));
});
afterAll(async () => {
  await server?.close();
});

type Agent = { child: ChildProcess; stdout: () => string; exited: Promise<number | null> };

/** `finetrack agent` in its own process group, so kill -9 takes its trial program with it (a machine dying). */
function startAgent(sweepId: string, log: string, extra: string[] = []): Agent {
  const child = spawn(process.execPath, [CLI_BIN, "agent", sweepId, "--project", server.project, "--url", server.url, "--api-key", server.apiKey, "--poll", "0.2", ...extra], {
    env: { ...process.env, FINETRACK_HOME: home, TRIAL_LOG: log },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => out, exited };
}

async function createSweep(spec: Record<string, unknown>, trials: Record<string, unknown>[]) {
  const created = await server.client.sweep.create.mutate({ project: server.project, spec: { name: "t", group: `g-${Math.random().toString(36).slice(2, 8)}`, method: "grid", command: COMMAND, ...spec } as never, trials });
  const log = join(home, `${created.id}.log`);
  writeFileSync(log, "");
  return { ...created, log };
}

const lines = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")) : []);
const getSweep = (sweepId: string) => server.client.sweep.get.query({ project: server.project, sweepId });

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("finetrack agent", () => {
  it("three agents run 12 trials, each exactly once, and each trial's SDK run joins the sweep; a late agent exits at once", async () => {
    const sweep = await createSweep({}, Array.from({ length: 12 }, (_, i) => ({ lr: i / 100, seed: 1 })));
    const agents = [0, 1, 2].map(() => startAgent(sweep.id, sweep.log));
    const codes = await Promise.all(agents.map((a) => a.exited));
    expect(codes, agents.map((a) => a.stdout()).join("\n---\n")).toEqual([0, 0, 0]);

    const detail = await getSweep(sweep.id);
    expect(detail.status).toBe("finished");
    expect(detail.counts).toMatchObject({ finished: 12, queued: 0, running: 0, failed: 0 });
    const started = lines(sweep.log).filter((l) => l[0] === "start");
    const ended = lines(sweep.log).filter((l) => l[0] === "end");
    expect(started).toHaveLength(12);
    expect(new Set(ended.map((l) => l[1])).size).toBe(12);
    expect(detail.trials.every((t) => t.attempt === 1 && t.runIds.length === 1)).toBe(true);
    // Every agent got work, and the agents' counts add up to the trials.
    expect(detail.agents.map((a) => a.trialsDone).reduce((a, b) => a + b, 0)).toBe(12);

    // The program named no run id, group or config: FINETRACK_RUN_ID / FINETRACK_SWEEP_ID joined it.
    const trial = detail.trials.find((t) => t.index === 7)!;
    const run = await server.client.run.get.query({ id: trial.runId! });
    expect(run).toMatchObject({ name: "trial-7", group: detail.group, status: "finished" });
    expect(run.system).toMatchObject({ sweepId: sweep.id });
    expect(run.config).toMatchObject({ lr: 0.07, seed: 1 });
    expect(trial.objective).toBeCloseTo(0.2 + 0.07, 10);
    expect(detail.best!.index).toBe(0);

    const late = startAgent(sweep.id, sweep.log);
    expect(await late.exited).toBe(0);
    expect(late.stdout()).toMatch(/sweep has no trials left/);
    expect(lines(sweep.log)).toHaveLength(24);
  }, 120_000);

  it("kill -9 of an agent mid-trial: after the heartbeat timeout another agent re-runs that trial and the sweep completes", async () => {
    const sweep = await createSweep({ heartbeatIntervalS: 0.3, heartbeatTimeoutS: 5 }, Array.from({ length: 4 }, (_, i) => ({ lr: i / 10, steps: 20, step_ms: 150 })));
    const victim = startAgent(sweep.id, sweep.log);
    const victimId = await until("the victim's id", async () => /agent (ag-\w+)/.exec(victim.stdout())?.[1]);
    const doomed = await until("a trial running on the victim", async () => (await getSweep(sweep.id)).trials.find((t) => t.state === "running" && t.agentId === victimId));
    await until("the doomed trial's program started", async () => lines(sweep.log).some((l) => l[0] === "start" && l[1] === doomed.id));
    const survivor = startAgent(sweep.id, sweep.log);
    process.kill(-victim.child.pid!, "SIGKILL");
    expect(await survivor.exited, survivor.stdout()).toBe(0);

    const detail = await getSweep(sweep.id);
    expect(detail.counts).toMatchObject({ finished: 4, failed: 0, running: 0, queued: 0 });
    const rerun = detail.trials.find((t) => t.id === doomed.id)!;
    expect(rerun.attempt).toBe(2);
    expect(rerun.agentId).not.toBe(victimId);
    expect(rerun.runIds).toHaveLength(2);
    expect(rerun.errors).toEqual([expect.objectContaining({ attempt: 1, agentId: victimId, error: expect.stringMatching(/stopped heartbeating/) })]);
    // Exactly one finished copy of every trial; the doomed one started twice.
    const ends = lines(sweep.log).filter((l) => l[0] === "end").map((l) => l[1]);
    expect(ends.sort()).toEqual(detail.trials.map((t) => t.id).sort());
    expect(lines(sweep.log).filter((l) => l[0] === "start" && l[1] === doomed.id)).toHaveLength(2);
  }, 120_000);

  it("early termination: the median stopping rule stops a planted bad trial, which ends as stopped_early", async () => {
    // Agents take trials in the sweep's order, so the planted trial starts after its peers finished.
    const good = Array.from({ length: 5 }, (_, i) => ({ lr: 0, offset: 0, steps: 8, i }));
    const bad = { lr: 0, offset: 5, steps: 40, step_ms: 150 };
    const sweep = await createSweep({ heartbeatIntervalS: 0.3, earlyTerminate: { type: "median", minStep: 2, minTrials: 3 } }, [...good, bad]);
    const agent = startAgent(sweep.id, sweep.log);
    expect(await agent.exited, agent.stdout()).toBe(0);
    const detail = await getSweep(sweep.id);
    expect(detail.trials.map((t) => t.state)).toEqual(["finished", "finished", "finished", "finished", "finished", "stopped_early"]);
    expect(detail.trials[5].stopReason).toMatch(/worse than the median/);
    expect(agent.stdout()).toMatch(/trial 5 \(attempt 1\) stopped_early/);
    const stopped = await server.client.run.get.query({ id: detail.trials[5].runId! });
    expect(stopped.metricStats["val/loss"].count).toBeLessThan(40);
    expect(detail.status).toBe("finished");
  }, 120_000);

  it("--count 1 runs one trial; a failing trial is retried up to the limit, keeps each attempt's error, and the sweep still finishes", async () => {
    const sweep = await createSweep({ retries: 1 }, [{ lr: 0 }, { lr: 0, fail: true }]);
    const once = startAgent(sweep.id, sweep.log, ["--count", "1"]);
    expect(await once.exited).toBe(0);
    expect(once.stdout()).toMatch(/ran 1 trial\(s\)/);
    expect((await getSweep(sweep.id)).counts).toMatchObject({ finished: 1, queued: 1 });
    const agent = startAgent(sweep.id, sweep.log);
    expect(await agent.exited).toBe(0);
    const detail = await getSweep(sweep.id);
    expect(detail.trials.map((t) => t.state)).toEqual(["finished", "failed"]);
    expect(detail.trials[1].attempt).toBe(2);
    expect(detail.trials[1].errors.map((e) => e.error)).toEqual([expect.stringMatching(/exited with code 3: planted failure/), expect.stringMatching(/exited with code 3: planted failure/)]);
    expect(agent.stdout()).toMatch(/1 failed for good/);
  }, 120_000);

  it("finetrack sweep --queue records a command sweep from its YAML and prints the agent command; two agents run it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-queue-"));
    const file = join(dir, "sweep.yaml");
    writeFileSync(file, `name: queued\nmethod: grid\ncommand: ${JSON.stringify(COMMAND)}\nparameters:\n  lr: [0.1, 0.2, 0.3]\nseeds: [1, 2]\nheartbeat_interval_s: 0.5\n`);
    const queued = await runCli(["sweep", "-c", file, "--queue", "--url", server.url, "--api-key", server.apiKey], { FINETRACK_HOME: home });
    expect(queued.code, queued.stderr).toBe(0);
    const id = /^sweep (\w+): 6 trial\(s\) queued in project 'default', group queued-\d+$/m.exec(queued.stdout)?.[1];
    expect(id, queued.stdout).toBeTruthy();
    expect(queued.stdout).toContain(`finetrack agent ${id} --project default`);
    const log = join(home, `${id}.log`);
    writeFileSync(log, "");
    const agents = [startAgent(id!, log), startAgent(id!, log)];
    expect(await Promise.all(agents.map((a) => a.exited))).toEqual([0, 0]);
    const detail = await getSweep(id!);
    expect(detail.counts.finished).toBe(6);
    expect(detail.trials.map((t) => t.assignment)).toEqual([0.1, 0.2, 0.3].flatMap((lr) => [1, 2].map((seed) => ({ lr, seed }))));
    expect(detail.agents.every((a) => a.trialsDone > 0)).toBe(true);
  }, 120_000);

  it("a trainer sweep: each trial is `finetrack train` on the base config with its values, logged to the trial's run", async () => {
    const { createModel, disposeModel, saveCheckpoint, transformerConfig, initBackend } = await import("@finetrack/trainer");
    await initBackend("cpu");
    const model = createModel("agent-base", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 4);
    const checkpoint = join(mkdtempSync(join(tmpdir(), "ft-agent-ckpt-")), "agent-base");
    await saveCheckpoint(model, checkpoint);
    disposeModel(model);
    const trainer = { base_model: checkpoint, dataset: "uppercase", max_samples: 40, max_steps: 2, per_device_train_batch_size: 8, backend: "cpu", project: server.project, output_dir: "" };
    const sweep = await createSweep({ command: undefined, trainer, heartbeatIntervalS: 0.5 }, [{ finetuning_type: "lora", seed: 1 }, { finetuning_type: "adapter", seed: 1 }]);
    const agent = startAgent(sweep.id, sweep.log);
    expect(await agent.exited, agent.stdout()).toBe(0);
    const detail = await getSweep(sweep.id);
    expect(detail.counts.finished, agent.stdout()).toBe(2);
    for (const t of detail.trials) {
      const run = await server.client.run.get.query({ id: t.runId! });
      expect(run).toMatchObject({ group: detail.group, method: t.assignment.finetuning_type, status: "finished", tags: expect.arrayContaining(["sweep:t"]) });
      expect(run.system).toMatchObject({ sweepId: sweep.id });
      expect(t.objective).toBeTypeOf("number");
    }
  }, 180_000);

  it("Ctrl-C on an agent hands its running trial back to the queue at once, without using a retry", async () => {
    const sweep = await createSweep({ heartbeatIntervalS: 0.3 }, [{ lr: 0, steps: 100, step_ms: 100 }]);
    const agent = startAgent(sweep.id, sweep.log);
    await until("the trial's program started", async () => lines(sweep.log).some((l) => l[0] === "start"));
    agent.child.kill("SIGINT");
    expect(await agent.exited).toBe(130);
    expect(agent.stdout()).toMatch(/trial 0 \(attempt 1\): handed back to the queue/);
    const [trial] = (await getSweep(sweep.id)).trials;
    expect(trial).toMatchObject({ state: "queued", attempt: 1, errors: [], agentId: null });
    expect(lines(sweep.log).filter((l) => l[0] === "end")).toEqual([]);
  }, 60_000);
});
