import { describe, expect, it } from "vitest";
import { recordProblem, validateLog } from "./validate-log";

describe("validateLog", () => {
  it("turns one call into points sharing a step, epoch and time", () => {
    const { points, refused } = validateLog({ "train/loss": 1.5, "val/loss": Number.NaN }, { step: 3, epoch: 0.25 });
    expect(refused).toEqual([]);
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ key: "train/loss", step: 3, value: 1.5, epoch: 0.25 });
    expect(points[1].value).toBeNaN();
    expect(points[0].time).toBe(points[1].time);
  });

  // The messages are the API's own (contracts' MetricPoint), so the SDK and the server say the same thing.
  it.each([
    [{ loss: 1 }, { step: -1 }, "step: expected a non-negative step"],
    [{ loss: 1 }, { step: 1.5 }, "step: expected an integer step"],
    [{ loss: 1 }, { step: 2 ** 31 }, "step: expected a step of at most 2147483647"],
    [{ loss: 1 }, { step: 1, epoch: Number.NaN }, /^epoch: /],
    [{ loss: "1" }, { step: 1 }, "value: expected a number (NaN and ±Infinity are allowed)"],
    [{ "": 1 }, { step: 1 }, "key: expected a non-empty metric key"],
    [{ ["k".repeat(257)]: 1 }, { step: 1 }, "key: expected a metric key of at most 256 characters"],
  ])("refuses %j %j with the server's message, without throwing", (metrics, options, message) => {
    const { points, refused, why } = validateLog(metrics as never, options as never);
    expect(points).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(why[0]).toMatch(message);
  });

  it("keeps the good points of a call beside a refused one", () => {
    const { points, refused } = validateLog({ ok: 1, "": 2 }, { step: 1 });
    expect(points.map((p) => p.key)).toEqual(["ok"]);
    expect(refused.map((p) => p.key)).toEqual([""]);
  });

  it("takes every Object.prototype member name as an ordinary metric key", () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    const metrics = JSON.parse(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, i]))));
    expect(Object.keys(metrics)).toHaveLength(names.length);
    const { points, refused } = validateLog(metrics, { step: 0 });
    expect(refused).toEqual([]);
    expect(points.map((p) => [p.key, p.value])).toEqual(names.map((n, i) => [n, i]));
  });

  it("throws only for a call that is not metrics at all", () => {
    expect(() => validateLog([1, 2] as never, { step: 1 })).toThrow(/expects an object .* got an array/);
  });

  it("checks summaries, updates and finishes with the API's schemas", () => {
    expect(recordProblem({ t: "update", input: { id: "r1", summary: { ok: 1 } } })).toBeNull();
    expect(recordProblem({ t: "update", input: { id: "r1", tags: ["x".repeat(65)] } })).toMatch(/^tags\[0\]: expected at most 64 characters/);
    expect(recordProblem({ t: "finish", input: { id: "r1", summary: { big: "x".repeat(300_000) } } })).toMatch(/^summary: expected at most 262144 bytes of JSON/);
  });
});
