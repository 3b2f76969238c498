import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { backendName, initBackend } from "./backend";

describe("backend", () => {
  it("falls back from tfjs-node to wasm (tfjs-node is not installable here) and honours an override", async () => {
    const picked = await initBackend();
    expect(["tensorflow", "wasm"]).toContain(picked);
    expect(backendName()).toBe(picked);
    expect(await initBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await initBackend("wasm")).toBe("wasm");
    await expect(initBackend("gpu" as never)).rejects.toThrow(/backend: expected one of tensorflow, wasm, cpu/);
  });
});
