// The README's trainer commands, run as written from the repository root (issue 14), shrunk to fit
// CI only by extra flags appended after them: a micro base model, a few steps, the cpu backend.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { createModel, disposeModel, saveCheckpoint, transformerConfig } from "@finetrack/trainer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** The commands of the README's "Fine-tune with the built-in trainer" block, as words. */
function readmeTrainerCommands(): string[][] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Fine-tune with the built-in trainer"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md: no sh block under 'Fine-tune with the built-in trainer'");
  return block
    .split("\n")
    .filter((l) => l.startsWith("npx finetrack "))
    .map((l) => l.replace(/<[^>]+>/g, "<placeholder>").split(/\s+/).slice(2));
}

let server: TestServer;
let dir: string;
let micro: string;
const made: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "ft-readme-"));
  micro = join(dir, "micro-base");
  const model = createModel("micro-base", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 3);
  await saveCheckpoint(model, micro);
  disposeModel(model);
});
afterAll(async () => {
  await server?.close();
  for (const p of made) rmSync(p, { recursive: true, force: true });
});

const auth = () => ["--url", server.url, "--api-key", server.apiKey];
const env = () => ({ FINETRACK_HOME: server.home });
/** Size only: the compression steps of compress.yaml at a few steps each, the student the micro model. */
const compressSize = () => [
  ...["steps.4.train.max_steps=3", "steps.5.recovery_steps=2", "steps.6.recovery_steps=2", "steps.6.schedule.end_step=2", "steps.6.schedule.frequency=1"],
  ...[`steps.7.student=${micro}`, "steps.7.train.max_steps=3", "calibration_size=8", `output_dir=${join(dir, "compressed")}`],
].flatMap((s) => ["--set", s]);

describe("README commands", () => {
  it("the trainer block lists train, compress --from the train run, the ablation sweep and pretrain", () => {
    const commands = readmeTrainerCommands().map((c) => c[0]);
    expect(commands).toEqual(["train", "compress", "sweep", "pretrain"]);
  });

  it("runs them as written: train saves its checkpoint by default, compress starts from that run, the sweep config exists", { timeout: 600_000 }, async () => {
    const [train, compress, sweep, pretrain] = readmeTrainerCommands();
    const t = await runCli([...train, "--set", `base_model=${micro}`, "--set", "max_steps=3", "--set", "eval_steps=3", "--set", "max_samples=40", "--backend", "cpu", "--no-progress", ...auth()], env(), repoRoot);
    expect(t.code, t.stderr).toBe(0);
    const runId = /run (\w+) finished/.exec(t.stdout)![1];
    // No output_dir in lora.yaml: the checkpoint is saved under .finetrack/checkpoints/<run id> anyway.
    const checkpoint = join(repoRoot, ".finetrack", "checkpoints", runId);
    made.push(checkpoint);
    expect(existsSync(join(checkpoint, "model.json"))).toBe(true);
    const artifact = await server.db.prisma.artifact.findFirst({ where: { run: { id: runId }, kind: "model" } });
    expect(artifact?.uri).toContain(runId);

    const c = await runCli([...compress.map((w) => (w === "<placeholder>" ? runId : w)), ...compressSize(), "--backend", "cpu", ...auth()], env(), repoRoot);
    expect(c.code, c.stderr).toBe(0);
    const children = await server.db.prisma.run.findMany({ where: { parentRunId: runId }, select: { id: true, method: true, status: true, summary: true } });
    expect(children.map((r) => r.method).sort()).toEqual(["distill", "prune", "prune", "ptq", "ptq", "ptq", "ptq", "qat"]);
    expect(children.every((r) => r.status === "finished")).toBe(true);
    // The printed table has each child's byte count in full, never rounded.
    for (const child of children) {
      const line = c.stdout.split("\n").find((l) => l.startsWith(child.id))!;
      expect(line.split(/\s+/)[2]).toBe(String((child.summary as { model_bytes: number }).model_bytes));
      // The child is logged after its work: the summary says how long that took, for its Duration.
      expect(Number.isInteger((child.summary as { wall_time_ms: number }).wall_time_ms)).toBe(true);
    }

    const s = await runCli([...sweep, "--dry-run"], env(), repoRoot);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/36 runs/);

    // pretrain: its flags parse as written (the build itself is the zoo test's), into a scratch cache.
    const p = await runCli([...pretrain, "--cache-dir", join(dir, "models"), "--backend", "cpu", "--offline", "--help"], env(), repoRoot);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain("--zoo [name]");
  });
});
