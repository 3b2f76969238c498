import { describe, expect, it } from "vitest";
import { formatBytes, formatDurationMs, formatMetricValue, formatNumber } from "./format";

describe("formatNumber", () => {
  it("reads 5 significant digits, integers in full, tiny and huge values in exponent form", () => {
    expect([0.08333333333333333, 123.456789, 2, 1234567, 0, -0.5].map((v) => formatNumber(v))).toEqual(["0.083333", "123.46", "2", "1234567", "0", "-0.5"]);
    expect([0.000123456, 1e-7, 2.5e7 + 0.5].map((v) => formatNumber(v))).toEqual(["1.2346e-4", "1e-7", "2.5e+7"]);
  });

  it("names what is not a number, and nothing for a missing one", () => {
    expect([NaN, Infinity, -Infinity, null, undefined].map((v) => formatNumber(v))).toEqual(["NaN", "∞", "−∞", "", ""]);
  });

  it("takes its digits and thousands separators from the caller", () => {
    expect(formatNumber(0.123456, { digits: 4 })).toBe("0.1235");
    expect(formatNumber(4000, { grouping: true })).toBe("4,000");
    expect(formatNumber(1234567.5, { digits: 4, grouping: true })).toBe("1.235e+6");
  });
});

describe("formatBytes and formatMetricValue", () => {
  it("keeps byte counts in full beside their binary size", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1843200)).toBe("1,843,200 B (1.76 MiB)");
    expect(formatMetricValue("model_bytes", 2048)).toBe("2,048 B (2.00 KiB)");
    expect(formatMetricValue("loss", 2048)).toBe("2048");
  });
});

describe("formatDurationMs", () => {
  it("takes milliseconds: ms under a second, then s, m and s, h and m", () => {
    expect([250, 999.7, 45_400, 725_000, 11_220_000, 0, 0.2].map(formatDurationMs)).toEqual(["250ms", "1s", "45s", "12m05s", "3h07m", "0s", "0s"]);
    expect([NaN, Infinity].map(formatDurationMs)).toEqual(["", ""]);
    expect([-90_000, -0.2].map(formatDurationMs)).toEqual(["-1m30s", "0s"]);
  });
});
