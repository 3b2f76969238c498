// A sweep worker process (forked by runSweep with --parallel > 1): runs the configs it is sent one
// at a time and reports progress over IPC, so several tfjs backends train in parallel.
import { runConfig } from "../run/run-config";
import type { SweepEvent, WorkerCommand } from "./sweep-messages";

const worker = Number(process.argv[2] ?? 0);
const send = (e: SweepEvent) => process.send?.(e);

async function handle(cmd: WorkerCommand): Promise<void> {
  if (cmd.type === "exit") {
    process.disconnect();
    return;
  }
  const { index } = cmd;
  send({ type: "start", index, worker, name: cmd.config.run_name ?? "" });
  let lastSent = 0;
  try {
    const outcome = await runConfig(cmd.config, {
      tracking: { ...cmd.tracking, quiet: true },
      cacheDir: cmd.cacheDir,
      onStatus: (message) => send({ type: "status", index, worker, message }),
      onStep: (m) => {
        // Throttled: IPC per step would cost more than a tiny model's step.
        if (Date.now() - lastSent < 250 && m.step < m.total_steps) return;
        lastSent = Date.now();
        send({ type: "step", index, worker, step: m.step, totalSteps: m.total_steps, loss: m.loss });
      },
    });
    send({ type: "done", index, worker, outcome });
  } catch (err) {
    send({ type: "failed", index, worker, error: err instanceof Error ? err.message : String(err) });
  }
}

// handle() reports a failed config over IPC itself; only a broken IPC channel can reject, and then
// the unhandled rejection ends this worker, which the parent sees as its exit.
process.on("message", (cmd: WorkerCommand) => void handle(cmd));
send({ type: "status", index: -1, worker, message: "ready" });
