import type { Run } from "@finetrack/contracts";
import { describe, expect, it } from "vitest";
import { metricRows, runsCsv, toJson, type ExportedRun } from "./format-export";

const NAMES = Object.getOwnPropertyNames(Object.prototype);
const keyed = (tag: string) => JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((k) => [k, { [k]: `${tag}-${k}` }]))));

const run = {
  id: "r1", name: "n", status: "finished", group: null, baseModel: null, baseModelParams: null, method: null, dataset: null, tags: [], seed: null,
  parentRunId: null, createdAt: new Date(0), startedAt: null, finishedAt: null, error: null, projectId: "p", datasetId: null, notes: "",
  config: keyed("config"), summary: keyed("summary"), system: {}, metricStats: {}, metricKeyCount: 0, heartbeatAt: null, updatedAt: new Date(0),
} as unknown as Run;

describe("export keeps keys named like Object.prototype members", () => {
  it("writes a CSV column for each, with its value", () => {
    const [header, row] = runsCsv([run]).trim().split("\n").map((line) => line.split(","));
    for (const k of NAMES) {
      for (const kind of ["config", "summary"]) expect(row[header.indexOf(`${kind}.${k}.${k}`)]).toBe(`${kind}-${k}`);
    }
  });

  it("writes JSON and point rows for metric keys of any name", () => {
    const metrics: ExportedRun["metrics"] = Object.create(null);
    for (const k of NAMES) metrics[k] = { step: [0], value: [1], epoch: [null], time: [0] };
    const exported = { ...run, metrics } as ExportedRun;
    expect(Object.keys(JSON.parse(toJson(exported)).metrics).sort()).toEqual([...NAMES].sort());
    expect(metricRows(exported).trim().split("\n").map((line) => line.split(",")[2]).sort()).toEqual([...NAMES].sort());
  });
});
