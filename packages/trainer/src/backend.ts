// Backend choice: tfjs-node (native) when it loads, else WebAssembly, else plain JS.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// tfjs-core registers no gradients; the umbrella bundle registers all of them into the shared registry.
import "@tensorflow/tfjs";
import { createRequire } from "node:module";
import path from "node:path";

export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKEND_NAMES: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

const require = createRequire(import.meta.url);
let active: Promise<BackendName> | null = null;
let activeOverride: BackendName | undefined;

async function tryTensorflow(): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = "@tensorflow/tfjs-node";
    await import(name);
    return await tf.setBackend("tensorflow");
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // Emscripten resolves the .wasm files relative to a prefix; node_modules' dist folder holds all three builds.
    const dist = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
    wasm.setWasmPaths(dist + path.sep);
    return await tf.setBackend("wasm");
  } catch {
    return false;
  }
}

async function pick(override?: BackendName): Promise<BackendName> {
  if (override !== undefined && !BACKEND_NAMES.includes(override)) {
    throw new Error(`backend: expected one of ${BACKEND_NAMES.join(", ")}, got '${String(override)}'`);
  }
  const order: BackendName[] = override ? [override] : ["tensorflow", "wasm", "cpu"];
  for (const name of order) {
    const ok = name === "tensorflow" ? await tryTensorflow() : name === "wasm" ? await tryWasm() : await tf.setBackend("cpu");
    if (ok) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`backend: '${override}' could not be initialised on this machine (try 'wasm' or 'cpu')`);
}

/** Picks tfjs-node, else wasm, else cpu (or exactly `override`); returns the active backend name.
 *  Idempotent: repeated calls with the same (or no) override reuse the first choice. */
export function initBackend(override?: BackendName): Promise<BackendName> {
  if (active && (override === undefined || override === activeOverride)) return active;
  activeOverride = override;
  active = pick(override).catch((err) => {
    active = null;
    throw err;
  });
  return active;
}

/** Name of the backend tfjs is running on right now. */
export function backendName(): string {
  return tf.getBackend();
}
