export type BackendName = "tensorflow" | "wasm" | "cpu";
/** Picks tfjs-node, else wasm, else cpu (or `override`); returns the active backend name. */
export async function initBackend(override?: BackendName): Promise<BackendName> {
  throw new Error(`initBackend(${override ?? ""}) is not implemented yet`);
}
export function backendName(): string {
  throw new Error("backendName is not implemented yet");
}
