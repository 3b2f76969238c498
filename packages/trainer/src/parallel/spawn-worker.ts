import { Worker } from "node:worker_threads";
import { createChannel, type ChannelEnd } from "./blocking-channel";

const BOOT = new URL("./worker-boot.mjs", import.meta.url);

/** Starts `entry` (a .ts or .js module URL) in a worker thread with a blocking channel to it; the
 *  worker reads its end and `data` from workerData. Unref'd: an idle worker never keeps the
 *  process alive. */
export function spawnWorker(entry: URL, data: unknown): { worker: Worker; channel: ChannelEnd } {
  const [near, far] = createChannel();
  const worker = new Worker(BOOT, { workerData: { entry: entry.href, channel: far, data }, transferList: [far.port] });
  worker.unref();
  return { worker, channel: near };
}
