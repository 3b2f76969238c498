// Entry of every trainer worker thread. The trainer is TypeScript consumed as source, and a worker
// does not inherit the parent's loader hooks (tsx registered in-process by the CLI, vite in
// vitest), so a .ts entry gets tsx registered here first. A failed start is reported on the
// worker's channel, where the parent is blocked waiting for it.
import { workerData } from "node:worker_threads";

try {
  if (workerData.entry.endsWith(".ts")) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  await import(workerData.entry);
} catch (err) {
  const end = workerData.channel;
  if (!end) throw err;
  end.port.postMessage({ error: `worker failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}` });
  Atomics.add(end.signal, end.sendSlot, 1);
  Atomics.notify(end.signal, end.sendSlot);
}
