import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, syncSpool } from "./index";
import { startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

// constructor, __proto__, toString, hasOwnProperty, valueOf, __defineGetter__ …: ordinary key names.
const NAMES = Object.getOwnPropertyNames(Object.prototype);
/** An object with every name as an own key (JSON.parse, since `{ __proto__: x }` would set the prototype). */
const keyed = (valueOf: (name: string, i: number) => unknown): Record<string, unknown> => JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((n, i) => [n, valueOf(n, i)]))));

function logEveryName(run: Awaited<ReturnType<typeof init>>) {
  for (let step = 0; step < 3; step++) run.log(keyed((_, i) => i + step / 10) as Record<string, number>, { step });
  run.summary(keyed((n) => `summary of ${n}`));
}

async function expectEveryNameBack(runId: string) {
  const stored = await server.client.run.get.query({ id: runId });
  const expectedConfig = { ...keyed((n) => n.length), optimizer: keyed((n) => ({ name: n })) };
  expect(Object.keys(stored.config).sort()).toEqual(Object.keys(expectedConfig).sort());
  for (const name of NAMES) {
    expect(Object.hasOwn(stored.config, name) && stored.config[name]).toBe(name.length);
    expect(Object.hasOwn(stored.config.optimizer as object, name) && (stored.config.optimizer as Record<string, unknown>)[name]).toEqual({ name });
    expect(Object.hasOwn(stored.summary, name) && stored.summary[name]).toBe(`summary of ${name}`);
  }
  const points = await storedPoints(server.db, runId);
  expect([...points.keys()].sort()).toEqual([...NAMES].sort());
  NAMES.forEach((name, i) => expect(points.get(name)).toEqual([0, 1, 2].map((step) => ({ step, value: i + step / 10 }))));
}

describe("keys named like Object.prototype members", () => {
  it(`are config, nested config, summary and metric keys like any other, online (${NAMES.length} names)`, async () => {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, config: { ...keyed((n) => n.length), optimizer: keyed((n) => ({ name: n })) } });
    logEveryName(run);
    await run.finish();
    expect(run.pointsRejected).toBe(0);
    await expectEveryNameBack(run.id);
  });

  it("survive the offline spool and `sync`", async () => {
    const run = await init({ project: server.project, mode: "offline", home: server.home, quiet: true, config: { ...keyed((n) => n.length), optimizer: keyed((n) => ({ name: n })) } });
    logEveryName(run);
    await run.finish();
    const [result] = await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [run.id] });
    expect(result).toMatchObject({ outcome: "uploaded", points: 3 * NAMES.length, rejected: 0, corrupt: [] });
    await expectEveryNameBack(run.id);
  });
});
