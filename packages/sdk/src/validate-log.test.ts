import { describe, expect, it } from "vitest";
import { validateLog } from "./validate-log";

describe("validateLog", () => {
  it("turns one call into points sharing a step, epoch and time", () => {
    const points = validateLog({ "train/loss": 1.5, "val/loss": Number.NaN }, { step: 3, epoch: 0.25 });
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ key: "train/loss", step: 3, value: 1.5, epoch: 0.25 });
    expect(points[1].value).toBeNaN();
    expect(points[0].time).toBe(points[1].time);
  });

  it.each([
    [{ loss: 1 }, { step: -1 }, /step must be an integer between 0/],
    [{ loss: 1 }, { step: 1.5 }, /step must be an integer/],
    [{ loss: 1 }, { step: 2 ** 31 }, /step must be an integer between 0 and 2147483647/],
    [{ loss: 1 }, { step: 1, epoch: Number.NaN }, /epoch must be a finite non-negative number/],
    [{ loss: "1" }, { step: 1 }, /metric 'loss' must be a number, got the string '1'/],
    [{ "": 1 }, { step: 1 }, /metric names must be 1-256 characters/],
    [{ ["k".repeat(257)]: 1 }, { step: 1 }, /\(257 characters\)/],
    [[1, 2], { step: 1 }, /expects an object .* got an array/],
  ])("rejects %j %j with a message naming the field", (metrics, options, message) => {
    expect(() => validateLog(metrics as never, options as never)).toThrow(message);
  });
});
