// Time of the example ablation sweep (packages/trainer/configs/sweeps/ablation.yaml): runs its jobs
// one after another in this process, offline, and reports wall and CPU time per job. On a shared
// machine wall time is inflated by other processes; the CPU total divided by the 2 workers of
// `--parallel 2` estimates the sweep's wall time on an otherwise idle 2-core machine.
//   npx tsx bench/ablation-sweep.ts [--untrained] [base_model ...]   (default: every job)
// --untrained uses randomly initialized models of the zoo architectures instead of the pretrained
// ones (same compute per step, meaningless losses): timing without waiting for the zoo to build.
import { fileURLToPath } from "node:url";
import { createModel, disposeModel, listBaseModels, type LoadedModel } from "@finetrack/trainer";
import { resolveBaseModel, runConfig } from "@finetrack/trainer/run";
import { loadSweep } from "@finetrack/trainer/sweep";

const file = fileURLToPath(new URL("../packages/trainer/configs/sweeps/ablation.yaml", import.meta.url));
const untrained = process.argv.includes("--untrained");
const only = process.argv.slice(2).filter((a) => a !== "--untrained");
const expanded = loadSweep(file);
const jobs = expanded.jobs.filter((j) => only.length === 0 || only.includes(j.config.base_model));
// Base models are built (pretrained and cached) first and not timed: the sweep itself is measured.
const bases = new Map<string, LoadedModel>();
for (const name of new Set(jobs.map((j) => j.config.base_model))) {
  if (!untrained) disposeModel(await resolveBaseModel(name));
  else bases.set(name, createModel(name, listBaseModels().find((m) => m.name === name)!.config, 0));
}
const tracking = { mode: "offline" as const, quiet: true };
const rows: { name: string; wallMs: number; cpuMs: number }[] = [];
const t0 = performance.now();
for (const job of jobs) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const out = await runConfig(job.config, { tracking, base: bases.get(job.config.base_model) });
  const cpu = process.cpuUsage(cpu0);
  rows.push({ name: job.config.run_name!, wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 });
  const r = rows[rows.length - 1];
  console.log(`${r.name.padEnd(40)} wall ${(r.wallMs / 1000).toFixed(1)} s  cpu ${(r.cpuMs / 1000).toFixed(1)} s  best_val_loss ${Number(out.summary.best_val_loss).toFixed(3)}`);
}
const wall = performance.now() - t0;
const cpu = rows.reduce((a, r) => a + r.cpuMs, 0);
console.log(`${untrained ? "untrained models (timing only), " : ""}${rows.length} of ${expanded.jobs.length} jobs: wall ${(wall / 60000).toFixed(1)} min sequential, CPU ${(cpu / 60000).toFixed(1)} min`);
console.log(`estimated sweep wall time with --parallel 2 on an idle 2-core machine: ${(cpu / 2 / 60000).toFixed(1)} min (target: well under 30)`);
process.exit(0);
