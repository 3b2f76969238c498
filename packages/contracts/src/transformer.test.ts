import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { WireInputError, wireTransformer } from "./transformer";

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

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** JSON text as a client sends it, so `__proto__` is an own key (as JSON.parse makes it). */
function wireOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(wireTransformer.serialize(value)));
}

describe("wireTransformer: keys are data", () => {
  it("round-trips every Object.prototype name as a key, at any depth, with annotated values below it", () => {
    const value = JSON.parse(JSON.stringify(Object.fromEntries(PROTO_NAMES.map((k) => [k, { [k]: 1, inner: [k] }]))));
    for (const k of PROTO_NAMES) value[k][k] = { at: new Date(5), nan: NaN, n: BigInt(7) };
    const back = wireTransformer.deserialize(wireOf(value)) as Record<string, any>;
    expect(Object.keys(back).sort()).toEqual([...PROTO_NAMES].sort());
    for (const k of PROTO_NAMES) {
      expect(Object.prototype.hasOwnProperty.call(back[k], k)).toBe(true);
      expect(back[k][k]).toEqual({ at: new Date(5), nan: NaN, n: BigInt(7) });
      expect(back[k].inner).toEqual([k]);
    }
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an annotation cannot reach a prototype", () => {
    const payload = { json: { a: "1" }, meta: { values: { "__proto__.polluted": ["bigint"] }, v: 1 } };
    expect(() => wireTransformer.deserialize(JSON.parse(JSON.stringify(payload)))).toThrow(/annotation names a path that is not in the input/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads what plain superjson sends", () => {
    const value = { at: new Date(1), big: BigInt(2), set: new Set([1, NaN]), map: new Map([["k", new Date(3)]]), "a.b": { "c\\d": -0 } };
    expect(wireTransformer.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value))))).toEqual(value);
  });
});

describe("wireTransformer: input it refuses, naming the field", () => {
  it.each([
    ["NUL in a string", { json: { config: { a: ["x\u0000"] } } }, "config.a[0]: expected valid Unicode text without NUL", "config.a.0"],
    ["lone surrogate in a key", { json: { name: { "\ud800": 1 } } }, "name.\ud800: key: expected valid Unicode text", "name.\ud800"],
    ["1e309", { json: { points: [{ value: 1 }, { value: 1e309 }] } }, "points[1].value: expected a finite number", "points.1.value"],
    ["unsupported type", { json: { a: "x" }, meta: { values: { a: ["regexp"] }, v: 1 } }, "a: unsupported value type", "a"],
    ["not a payload", [1], "input: expected a superjson payload", "input"],
  ])("%s", (_name, payload, message, field) => {
    let error: unknown;
    try {
      wireTransformer.deserialize(payload);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WireInputError);
    expect((error as WireInputError).message).toContain(message);
    expect((error as WireInputError).field).toBe(field);
  });

  it("lists every point of a logBatch-shaped input the wire format refuses, as the batch's validation does", () => {
    const payload = { json: { runId: "r", points: [{ key: "ok", step: 0, value: 1 }, { key: "a\u0000", step: 1, value: 1 }, { key: "b", step: 2, value: 1e309 }, { key: "\udc00", step: 3, value: 1 }] } };
    let error: WireInputError | undefined;
    try {
      wireTransformer.deserialize(payload);
    } catch (e) {
      error = e as WireInputError;
    }
    expect(error?.field).toBe("points.1.key");
    expect(error?.rejected).toEqual([
      { index: 1, key: "a\\u0000", step: 1, field: "points.1.key", message: expect.stringMatching(/^expected valid Unicode text without NUL/) },
      { index: 2, key: "b", step: 2, field: "points.2.value", message: expect.stringMatching(/^expected a finite number/) },
      { index: 3, key: "\\udc00", step: 3, field: "points.3.key", message: expect.stringMatching(/^expected valid Unicode text without NUL/) },
    ]);
    // Anything wrong outside the points refuses the whole input: no list.
    expect(() => wireTransformer.deserialize({ json: { ...payload.json, runId: "\u0000" } })).toThrow(WireInputError);
    try {
      wireTransformer.deserialize({ json: { ...payload.json, runId: "\u0000" } });
    } catch (e) {
      expect((e as WireInputError).rejected).toBeUndefined();
    }
  });

  it("takes 1e309 only as the explicit Infinity annotation", () => {
    expect(wireTransformer.deserialize(JSON.parse('{"json":{"v":"Infinity"},"meta":{"values":{"v":["number"]},"v":1}}'))).toEqual({ v: Infinity });
    expect(() => wireTransformer.deserialize(JSON.parse('{"json":{"v":1e309}}'))).toThrow(/overflows float8/);
  });
});
