import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Run } from "@finetrack/contracts";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MADE, REAL } from "../../test/import/fixture-paths";
import { runCli } from "../../test/run-cli";

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startTestServer();
  // One source of each format side by side, the way a user's disk holds them.
  folder = mkdtempSync(join(tmpdir(), "ft-import-"));
  cpSync(`${REAL}transformers-5.18/trainer-output`, join(folder, "hf/trainer-output"), { recursive: true });
  cpSync(`${REAL}tensorboard/runs/lr-3e-3`, join(folder, "tb/lr-3e-3"), { recursive: true });
  cpSync(`${MADE}llama-factory/saves`, join(folder, "saves"), { recursive: true });
  cpSync(`${MADE}mlruns`, join(folder, "mlruns"), { recursive: true });
});
afterAll(async () => {
  await server?.close();
});

const auth = () => ["--url", server.url, "--api-key", server.apiKey];
const importCli = (args: string[]) => runCli(["import", ...args, ...auth()]);

async function listRuns(project: string): Promise<Run[]> {
  return (await server.client.run.list.query({ project, limit: 500 })).items;
}
const pointCount = (run: Run) => Object.values(run.metricStats).reduce((n, s) => n + s.count, 0);

/** Point counts per source, counted from the files themselves (not through the importer). */
function expectedCounts(): Record<string, number> {
  const state = JSON.parse(readFileSync(join(folder, "hf/trainer-output/checkpoint-12/trainer_state.json"), "utf8")) as { log_history: Record<string, unknown>[] };
  const hf = state.log_history.reduce((n, e) => n + Object.entries(e).filter(([k, v]) => k !== "step" && k !== "epoch" && typeof v === "number").length, 0);
  const lfLines = readFileSync(join(folder, "saves/Qwen2-7B/lora/sft/trainer_log.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const lf = 2 * new Set(lfLines.filter((l) => typeof l.loss === "number").map((l) => l.current_steps)).size + new Set(lfLines.filter((l) => typeof l.eval_loss === "number").map((l) => l.current_steps)).size;
  const counts: Record<string, number> = { "hf-trainer": hf, "llama-factory": lf, tensorboard: 3 * 40 /* 3 tags every 5 steps from 0 to 195 (fixture README) */ };
  const exp = join(folder, "mlruns/412783105573284961");
  for (const runDir of readdirSync(exp).filter((n) => n !== "meta.yaml")) {
    const files = readdirSync(join(exp, runDir, "metrics"), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    counts[`mlflow:${runDir}`] = files.reduce((n, d) => n + new Set(readFileSync(join(d.parentPath, d.name), "utf8").trim().split("\n").map((l) => l.split(" ")[2])).size, 0);
  }
  return counts;
}

function expectedFor(run: Run): number {
  const source = (run.system as { import: { format: string; source: string } }).import;
  const counts = expectedCounts();
  return source.format === "mlflow" ? counts[`mlflow:${source.source.split("/").pop()}`] : counts[source.format];
}

describe("finetrack import", () => {
  it("--dry-run reports every run of a folder and writes nothing", async () => {
    const { code, stdout } = await importCli([folder, "--project", server.project, "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/total: 5 run\(s\) found, dry run: nothing written; \d+ point\(s\); 0 problem\(s\)/);
    expect(await listRuns(server.project)).toEqual([]);
  });

  it("imports one run per source of each format, with as many points as the sources hold", async () => {
    const { code, stdout } = await importCli([folder, "--project", server.project, "--tag", "imported", "--tag", "2024"]);
    expect(code).toBe(0);
    for (const format of ["hf-trainer", "llama-factory", "tensorboard", "mlflow"]) expect(stdout).toMatch(new RegExp(`^${format}\\s`, "m"));
    expect(stdout).toMatch(/training_args\.bin \(2 files\): a Python pickle, not unpickled/);
    const runs = await listRuns(server.project);
    expect(runs.map((r) => (r.system as { import: { format: string } }).import.format).sort()).toEqual(["hf-trainer", "llama-factory", "mlflow", "mlflow", "tensorboard"]);
    for (const run of runs) {
      expect(pointCount(run), run.name).toBe(expectedFor(run));
      expect(run.tags).toEqual(["imported", "2024"]);
    }
    const total = runs.reduce((n, r) => n + pointCount(r), 0);
    expect(stdout).toContain(`total: 5 run(s) found, 5 imported, 0 already imported; ${total} point(s), ${total} new; 0 problem(s)`);

    const byFormat = (f: string) => runs.find((r) => (r.system as { import: { format: string } }).import.format === f)!;
    const hf = byFormat("hf-trainer");
    expect(hf).toMatchObject({ status: "finished", method: "lora", summary: { best_metric: 3.894857883453369, metric_for_best_model: "eval_loss" } });
    const evalLoss = await server.client.metric.points.query({ runId: hf.id, key: "eval/loss" });
    expect(evalLoss.step).toEqual([4, 8, 12]);
    expect(byFormat("llama-factory")).toMatchObject({ baseModel: "Qwen/Qwen2-7B", method: "qlora", dataset: { name: "alpaca_en_demo,identity" } });
    const tb = byFormat("tensorboard");
    expect(tb.config).toEqual({ lr: 0.003, model: "tiny-gpt2", lora_rank: 8 });
    const val = await server.client.metric.points.query({ runId: tb.id, key: "Loss/val" });
    expect(val.value[val.step.indexOf(150)]).toBeNaN();
    const failed = runs.find((r) => r.name === "lora-r64")!;
    expect(failed).toMatchObject({ status: "failed", group: "llama-lora-sweep", baseModel: "meta-llama/Llama-2-7b-hf" });
  });

  it("importing the same folder again creates nothing new", async () => {
    const before = await listRuns(server.project);
    const { code, stdout } = await importCli([folder, "--project", server.project]);
    expect(code).toBe(0);
    expect(stdout.match(/already imported\s+imp-/g)).toHaveLength(5);
    expect(stdout).toContain("total: 5 run(s) found, 0 imported, 5 already imported");
    const after = await listRuns(server.project);
    expect(after.map((r) => [r.id, pointCount(r)]).sort()).toEqual(before.map((r) => [r.id, pointCount(r)]).sort());
  });

  it("imports what is readable of damaged files, names file and line, and exits non-zero", async () => {
    const { code, stdout } = await importCli([`${MADE}mlflow-corrupt`, `${MADE}llama-factory-truncated`, `${MADE}hf-lfs`, "--project", server.project]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/problem: .*mlflow-corrupt\/.*\/metrics\/loss \(line 3\): expected 'timestamp value step', got '1717400002000 garbage 2'/);
    expect(stdout).toMatch(/problem: .*llama-factory-truncated\/sft\/trainer_log\.jsonl \(line 11\): truncated \(the file ends mid-line\)/);
    expect(stdout).toMatch(/problem: .*hf-lfs\/out\/trainer_state\.json: a Git LFS pointer/);
    const runs = (await listRuns(server.project)).filter((r) => /mlflow-corrupt|llama-factory-truncated|hf-lfs/.test((r.system as { import: { source: string } }).import.source));
    expect(runs.map((r) => [r.name, pointCount(r)]).sort()).toEqual([["crashed-run", 3], ["sft", 2 * 9]] /* 9 readable lines, each with loss and lr */);
  });

  it("shows progress on a large import", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ft-import-big-")), "mlruns/0/0123456789abcdef0123456789abcdef");
    mkdirSync(join(dir, "metrics"), { recursive: true });
    writeFileSync(join(dir, "meta.yaml"), "run_id: 0123456789abcdef0123456789abcdef\nrun_name: long\nstatus: 3\n");
    writeFileSync(join(dir, "metrics/loss"), Array.from({ length: 25_000 }, (_, s) => `${1_700_000_000_000 + s} ${1 / (s + 1)} ${s}`).join("\n") + "\n");
    const { code, stderr, stdout } = await importCli([dir, "--project", server.project]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/import points 10000\/25000 ETA/);
    expect(stderr).toMatch(/import points 25000\/25000 ETA/);
    expect(stdout).toContain("25000 point(s), 25000 new");
  });
});
