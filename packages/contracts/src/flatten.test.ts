import { describe, expect, it } from "vitest";
import { flattenJson } from "./flatten";

const NAMES = Object.getOwnPropertyNames(Object.prototype);

describe("flattenJson", () => {
  it("gives dot paths to leaves; arrays, Dates and empty objects as the JSON has them", () => {
    const when = new Date(0);
    const flat = flattenJson({ optimizer: { lr: 0.1, betas: [0.9, 0.99] }, empty: {}, at: when, off: null, name: "x" });
    expect({ ...flat }).toEqual({ "optimizer.lr": 0.1, "optimizer.betas": [0.9, 0.99], at: when, off: null, name: "x" });
    expect(flattenJson(3)).toEqual({});
  });

  it("keeps keys named like Object.prototype members as ordinary paths (null-prototype result)", () => {
    const nested = JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((k) => [k, { [k]: `v-${k}` }]))));
    const flat = flattenJson(nested);
    expect(Object.getPrototypeOf(flat)).toBeNull();
    expect(Object.keys(flat).sort()).toEqual(NAMES.map((k) => `${k}.${k}`).sort());
    expect(Object.getOwnPropertyDescriptor(flat, "__proto__.__proto__")?.value).toBe("v-__proto__");
    const scalars = flattenJson(JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((k, i) => [k, i])))));
    expect(NAMES.map((k) => Object.getOwnPropertyDescriptor(scalars, k)?.value)).toEqual(NAMES.map((_, i) => i));
  });

  it("walks null-prototype objects like plain ones", () => {
    const inner = Object.assign(Object.create(null), { b: 1 });
    expect({ ...flattenJson({ a: inner }) }).toEqual({ "a.b": 1 });
  });

  it("stops at maxDepth and maps leaves", () => {
    const deep = { a: { b: { c: { d: 1 } } }, top: [1] };
    expect({ ...flattenJson(deep, { maxDepth: 2 }) }).toEqual({ "a.b": { c: { d: 1 } }, top: [1] });
    const text = flattenJson(deep, { maxDepth: 2, leaf: (v) => JSON.stringify(v) });
    expect({ ...text }).toEqual({ "a.b": '{"c":{"d":1}}', top: "[1]" });
  });
});
