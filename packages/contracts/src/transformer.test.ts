import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { wireTransformer } from "./transformer";

describe("wireTransformer", () => {
  it.each([
    ["plain", { runId: "r", points: [{ key: "a", step: 1, value: 0.5, epoch: null }], nested: [[1, "x", true]] }],
    ["non-finite", { value: [NaN, Infinity, -Infinity, 1] }],
    ["dates and undefined", { at: new Date(0), missing: undefined, big: BigInt(5) }],
    ["negative zero", { z: -0 }],
    ["class instance", { m: new Map([["a", 1]]) }],
  ])("produces what superjson produces and round-trips: %s", (_name, value) => {
    const wire = JSON.parse(JSON.stringify(wireTransformer.serialize(value)));
    expect(wire).toEqual(JSON.parse(JSON.stringify(superjson.serialize(value))));
    expect(wireTransformer.deserialize(wire)).toEqual(superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value)))));
  });
});
