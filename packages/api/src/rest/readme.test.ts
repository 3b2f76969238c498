import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { createApiKey, createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../context";
import { createHttpServer, type HttpServer } from "../http-server";
import "../index";
import { createCaller } from "../root";

const README = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
const section = README.slice(README.indexOf("## Log from any language"), README.indexOf("\n## ", README.indexOf("## Log from any language") + 1));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);

let db: Db;
let server: HttpServer;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  await createProject(db, { slug: "default", name: "Default" });
  const key = await createApiKey(db, { project: "default", name: "readme", scopes: ["write"] });
  env = { PATH: process.env.PATH ?? "/usr/bin:/bin", FINETRACK_URL: new URL(server.url).origin, FINETRACK_API_KEY: key.secret };
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** Runs one README block with bash, as a user would paste it; curl's --fail-with-body turns an HTTP error into a failure. */
async function run(block: string): Promise<any> {
  const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", block], { env, timeout: 30_000 });
  return JSON.parse(stdout);
}

describe('README "Log from any language"', () => {
  it("has four curl blocks that read the server and key from the environment", () => {
    expect(blocks).toHaveLength(4);
    for (const block of blocks) {
      expect(block).toMatch(/^curl .*"\$FINETRACK_URL\/api\/v1\//m);
      expect(block).toContain("Bearer $FINETRACK_API_KEY");
    }
  });

  it("create, log (with a NaN), finish and diagnose work as written", async () => {
    const [create, points, finish, diagnosis] = blocks;
    const run1 = await run(create);
    expect(run1).toMatchObject({ id: "curl-demo-1", status: "running", baseModel: "gpt2", method: "lora", dataset: { name: "alpaca-mini", trainSize: 900 } });

    const stated = JSON.parse(/`(\{"inserted": \d+, "duplicates": \d+\})`/.exec(section)![1]);
    const logged = await run(points);
    expect(logged).toEqual(stated);
    expect(await run(points)).toEqual({ inserted: 0, duplicates: stated.inserted });

    expect(await run(finish)).toMatchObject({ id: "curl-demo-1", status: "finished", summary: { train_runtime: 812.5 } });
    const answer = await run(diagnosis);
    expect(answer).toMatchObject({ runId: "curl-demo-1", trainKey: "train/loss", valKey: "val/loss", diagnosis: { verdict: "overfitting" } });

    // Stored as the SDK would have stored it: the "NaN" is a NaN, the ISO time a timestamp.
    const caller = createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${env.FINETRACK_API_KEY}` }), authEnabled: true }));
    const { series } = await caller.metric.series({ runIds: ["curl-demo-1"], keys: ["grad_norm"] });
    expect(series[0]).toMatchObject({ step: [600], time: [Date.parse("2026-01-31T12:00:00Z")] });
    expect(series[0].value[0]).toBeNaN();
    expect(await run(create)).toMatchObject({ id: "curl-demo-1", status: "finished" });
  });
});
