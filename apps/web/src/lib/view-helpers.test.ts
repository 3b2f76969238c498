import { describe, expect, it } from "vitest";
import { toLinePoints } from "../components/charts/chart-data";
import { groupMetricKeys, splitOf } from "../components/charts/metric-groups";
import { csvCell, toCsv } from "./csv";
import { readTableView, writeTableView } from "./view-state";

describe("table view in the URL", () => {
  it("round-trips filter, sort, group and columns", () => {
    const view = {
      filter: { baseModel: ["tiny-a"], where: [{ field: "config.lr", op: "lt" as const, value: 0.01 }] },
      sort: { field: "metrics.val/loss.min", direction: "desc" as const },
      group: "method",
      columns: ["name", "metrics.val/loss.min"],
    };
    const back = readTableView(new URLSearchParams(writeTableView(view).slice(1)));
    expect(back).toEqual(view);
  });

  it("ignores a filter that does not parse instead of failing the page", () => {
    expect(readTableView(new URLSearchParams("filter=%7Bnot-json&sort=name")).filter).toEqual({});
    expect(readTableView(new URLSearchParams(`filter=${encodeURIComponent('{"status":["bogus"]}')}`)).filter).toEqual({});
  });
});

describe("CSV export", () => {
  it("quotes separators and neutralises spreadsheet formulas", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(toCsv(["x", "y"], [[1, null]])).toBe("x,y\r\n1,\r\n");
  });
});

describe("metric charts", () => {
  it("puts train and validation of one quantity on one chart", () => {
    expect(splitOf("val/loss")).toEqual({ split: "val", base: "loss" });
    expect(groupMetricKeys(["train/loss", "val/loss", "lr", "eval_accuracy"])).toEqual([
      { title: "loss", keys: ["train/loss", "val/loss"] },
      { title: "eval_accuracy", keys: ["eval_accuracy"] },
      { title: "lr", keys: ["lr"] },
    ]);
  });

  it("turns non-finite values, and non-positive ones on a log axis, into gaps", () => {
    const c = { step: [0, 1, 2, 3], value: [1, NaN, -1, 4], epoch: [null, 0.5, 1, 1.5], time: [0, 1000, 2000, 3000] };
    expect(toLinePoints(c, { xMode: "step", smoothing: 0, logY: false })).toEqual({ x: [0, 1, 2, 3], y: [1, null, -1, 4] });
    expect(toLinePoints(c, { xMode: "step", smoothing: 0, logY: true }).y).toEqual([1, null, null, 4]);
    expect(toLinePoints(c, { xMode: "epoch", smoothing: 0, logY: false }).x).toEqual([0.5, 1, 1.5]);
    expect(toLinePoints(c, { xMode: "relative", smoothing: 0, logY: false }).x).toEqual([0, 1, 2, 3]);
  });
});
