import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { MetricPoint } from "@finetrack/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newRunId, spoolPaths, syncSpool } from "./index";
import { encodeSpoolLine } from "./spool-file";
import type { SpoolRecord } from "./spool-record";
import { logBatchRequests, startFaultProxy, startTestServer, storedPoints, type FaultProxy, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

const losses = (from: number, to: number): MetricPoint[] => Array.from({ length: to - from }, (_, i) => ({ key: "loss", step: from + i, value: from + i }));

/** A spool file as a crashed process (or another client) left it: lines given as records or raw text. */
function writeSpool(runId: string, lines: Array<SpoolRecord | string>): { file: string; offsets: number[] } {
  const { file } = spoolPaths(server.home, runId);
  mkdirSync(dirname(file), { recursive: true });
  const texts = [encodeSpoolLine({ t: "create", input: { project: server.project, id: runId } }), ...lines.map((l) => (typeof l === "string" ? l : encodeSpoolLine(l)))];
  const offsets: number[] = [];
  let at = 0;
  for (const text of texts) {
    offsets.push(at);
    at += Buffer.byteLength(text);
  }
  writeFileSync(file, texts.join(""));
  return { file, offsets };
}

describe("syncSpool", () => {
  it("sets a corrupt line and a torn last line aside with their place, and uploads every other line", async () => {
    const runId = newRunId();
    const torn = '{"t":"p","keys":["loss"],"k":[0],"s":[200';
    const { file, offsets } = writeSpool(runId, [{ t: "points", points: losses(0, 100) }, "garbage\n", { t: "points", points: losses(100, 200) }, { t: "finish", input: { id: runId, status: "killed" } }, torn]);
    const [result] = await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [runId] });
    expect(result).toMatchObject({ outcome: "partial", points: 200, rejected: 0 });
    expect(result.corrupt.map(({ file, line, byteOffset, text }) => ({ file, line, byteOffset, text }))).toEqual([
      { file, line: 3, byteOffset: offsets[2], text: "garbage" },
      { file, line: 6, byteOffset: offsets[5], text: torn },
    ]);
    expect(readFileSync(result.corruptFile, "utf8")).toBe(`garbage\n${torn}\n`);
    expect((await storedPoints(server.db, runId)).get("loss")).toEqual(losses(0, 200).map(({ step, value }) => ({ step, value })));
    expect((await server.client.run.get.query({ id: runId })).status).toBe("killed");
    expect(existsSync(file)).toBe(false);
  });

  it("a batch with refused points costs one more request, not one per halving; the refused ones are kept with the server's reasons", async () => {
    const runId = newRunId();
    const points = losses(0, 1_000);
    // Points no SDK would send (another client wrote this spool): a key too long, a negative step, an epoch beyond float4.
    points[10] = { key: "k".repeat(257), step: 10, value: 1 };
    points[500] = { key: "loss", step: -1, value: 1 };
    points[900] = { key: "loss", step: 900, value: 1, epoch: 1e39 };
    writeSpool(runId, [{ t: "points", points }]);
    proxy.requests.length = 0;
    const [result] = await syncSpool({ home: server.home, url: proxy.url, apiKey: server.apiKey, runIds: [runId] });
    expect(result).toMatchObject({ outcome: "partial", points: 1_000, rejected: 3, corrupt: [] });
    expect(logBatchRequests(proxy.requests)).toHaveLength(2);
    expect((await storedPoints(server.db, runId)).get("loss")).toHaveLength(997);
    const rejected = readFileSync(result.rejectedFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ t: "p", s: [10, -1, 900] });
    expect(rejected[0].why).toEqual(["key: expected a metric key of at most 256 characters", "step: expected a non-negative step", expect.stringMatching(/^epoch: expected an epoch of at most/)]);
  });

  it("a run of a project the key is not for keeps its spool for a retry with the right key, and sets nothing aside", async () => {
    const runId = newRunId();
    const { file } = spoolPaths(server.home, runId);
    mkdirSync(dirname(file), { recursive: true });
    const project = `other-${runId.slice(-8).toLowerCase()}`;
    writeFileSync(file, [encodeSpoolLine({ t: "create", input: { project, id: runId } }), encodeSpoolLine({ t: "points", points: losses(0, 10) })].join(""));
    const [result] = await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [runId] });
    expect(result).toMatchObject({ outcome: "failed", rejected: 0, rejectedRecords: 0, detail: expect.stringMatching(/this API key is for project .*fix the API key \(or the run's project\), then run `finetrack sync` again/) });
    expect(existsSync(file)).toBe(true);
    expect(existsSync(result.rejectedFile)).toBe(false);
    // With a key for that project, the same spool uploads whole.
    await server.client.project.create.mutate({ slug: project, name: project });
    const key = await server.client.key.create.mutate({ project, name: "right key", scopes: ["write"] });
    const [again] = await syncSpool({ home: server.home, url: server.url, apiKey: key.secret, runIds: [runId] });
    expect(again).toMatchObject({ outcome: "uploaded", points: 10, rejected: 0 });
    expect((await storedPoints(server.db, runId)).get("loss")).toHaveLength(10);
  });

  it("text the wire format itself refuses (a NUL in a key) is refused point by point too", async () => {
    const runId = newRunId();
    const points = losses(0, 1_000);
    points[10] = { key: "bad\u0000key", step: 10, value: 1 };
    writeSpool(runId, [{ t: "points", points }]);
    proxy.requests.length = 0;
    const [result] = await syncSpool({ home: server.home, url: proxy.url, apiKey: server.apiKey, runIds: [runId] });
    expect(result).toMatchObject({ outcome: "partial", rejected: 1 });
    expect(logBatchRequests(proxy.requests)).toHaveLength(2);
    expect((await storedPoints(server.db, runId)).get("loss")).toHaveLength(999);
    expect(JSON.parse(readFileSync(result.rejectedFile, "utf8")).why).toEqual([expect.stringMatching(/^key: expected valid Unicode text without NUL/)]);
  });
});
