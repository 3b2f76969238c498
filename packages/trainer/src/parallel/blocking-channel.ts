// A request/reply channel between two threads on which either side can block: the message travels
// on a MessagePort, the wake-up on a SharedArrayBuffer counter (Atomics), so a thread waits with
// Atomics.wait and reads with receiveMessageOnPort without returning to its event loop. That keeps
// the training step synchronous while a worker computes half of it.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Transferable } from "node:worker_threads";

/** One end as plain data, so it can cross to a worker in workerData (transfer its `port`). */
export interface ChannelEnd {
  port: MessagePort;
  /** [0] counts messages sent by the first end, [1] by the second. */
  signal: Int32Array;
  sendSlot: 0 | 1;
}

export function createChannel(): [ChannelEnd, ChannelEnd] {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  return [
    { port: port1, signal, sendSlot: 0 },
    { port: port2, signal, sendSlot: 1 },
  ];
}

export function send(end: ChannelEnd, message: unknown, transfer: Transferable[] = []): void {
  end.port.postMessage(message, transfer);
  Atomics.add(end.signal, end.sendSlot, 1);
  Atomics.notify(end.signal, end.sendSlot);
}

/** Blocks until the other end's next message arrives; throws naming `what` after `timeoutMs`. */
export function receive(end: ChannelEnd, timeoutMs: number, what: string): unknown {
  const slot = 1 - end.sendSlot;
  const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
  for (;;) {
    // Read the counter before looking, so a message posted in between ends the wait at once.
    const seen = Atomics.load(end.signal, slot);
    const got = receiveMessageOnPort(end.port);
    if (got) return got.message;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${what}: no answer within ${Math.round(timeoutMs / 1000)} s`);
    Atomics.wait(end.signal, slot, seen, left === Infinity ? undefined : left);
  }
}
