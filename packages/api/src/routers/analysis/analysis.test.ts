import { createApiKey, createProject, createRun, logMetrics } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../../http-server";
import { failure, makeCall, type Call, type Transport } from "../../test/transports";

let db: Db;
let server: HttpServer;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "q", name: "Q" });
  secrets.read = (await createApiKey(db, { project: "p", name: "read", scopes: ["read"] })).secret;
  secrets.other = (await createApiKey(db, { project: "q", name: "other", scopes: ["admin"] })).secret;
  for (let i = 0; i < 6; i++) {
    await createRun(db, { project: "p", id: `a-${i}`, name: `<b>run ${i}</b>`, baseModel: i % 2 ? "tiny-a" : "tiny-b", method: i % 3 ? "lora" : "full", config: { lr: 0.001 * (i + 1) } });
    await logMetrics(db, { runId: `a-${i}`, points: [0, 1, 2, 3, 4, 5].flatMap((step) => [
      { key: "train/loss", step, value: 2 - step * 0.2 },
      { key: "val/loss", step, value: (i % 2 ? 1 : 2) + 1 / (step + 1) },
    ]) });
  }
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe.each<Transport>(["caller", "http"])("analysis over %s", (transport) => {
  let as: Record<string, Call>;
  beforeAll(() => {
    as = Object.fromEntries(
      ["read", "other", "anonymous"].map((who) => [
        who,
        makeCall(transport, { db, url: server.url, headers: who === "anonymous" ? {} : { authorization: `Bearer ${secrets[who]}` } }),
      ]),
    );
  });

  it("serves the runs table, the diagnosis, the ablation grid and factor impact to a read key", async () => {
    const rows = await as.read("analysis.runRows", { project: "p", filter: { baseModel: ["tiny-a"] } });
    expect(rows.id.sort()).toEqual(["a-1", "a-3", "a-5"]);
    expect(rows.name).toContain("<b>run 1</b>");
    const d = await as.read("analysis.diagnose", { runId: "a-1" });
    expect(d.valKey).toBe("val/loss");
    expect(d.diagnosis.verdict).toBeTypeOf("string");
    const grid = await as.read("analysis.ablation", { project: "p" });
    expect(grid.rows.levels).toEqual(["tiny-a", "tiny-b"]);
    const impact = await as.read("analysis.factorImpact", { project: "p" });
    expect(impact.result.factors[0].name).toBe("baseModel");
    const projects = await as.read("analysis.projectActivity");
    expect(projects).toEqual([expect.objectContaining({ slug: "p", runCount: 6 })]);
  });

  it("serves the runs table only the columns it shows, with the catalog and its defaults; a bad column is a 400 naming it", async () => {
    const rows = await as.read("analysis.runRows", { project: "p", defaults: true });
    expect(rows.defaultColumns.slice(0, 2)).toEqual(["name", "metrics.val/loss.min"]);
    expect(rows.defaultColumns).toContain("config.lr");
    expect(Object.keys(rows.metrics)).toEqual(["val/loss"]);
    expect(rows.catalog.metrics.sort()).toEqual(["train/loss", "val/loss"]);
    expect(rows.catalog.config).toEqual([{ key: "lr", numeric: true }]);
    const picked = await as.read("analysis.runRows", { project: "p", columns: ["metrics.train/loss.last"] });
    expect(Object.keys(picked.config)).toEqual([]);
    expect(picked.metrics["train/loss"].last).toEqual(Array(6).fill(1));
    for (const [columns, field] of [[["config.lr", "status"], "columns.1"], [["nope"], "columns.0"], [["metrics.val/loss.count"], "columns.0"]] as const) {
      const refused = await failure(as.read("analysis.runRows", { project: "p", columns }));
      expect([refused.code, refused.field]).toEqual(["BAD_REQUEST", field]);
    }
  });

  it("refuses anonymous callers, and answers keys of another project as if nothing were there", async () => {
    expect((await failure(as.anonymous("analysis.runRows", { project: "p" }))).code).toBe("UNAUTHORIZED");
    expect((await failure(as.other("analysis.runRows", { project: "p" }))).code).toBe("NOT_FOUND");
    expect((await failure(as.other("analysis.diagnose", { runId: "a-1" }))).code).toBe("NOT_FOUND");
    expect((await failure(as.other("analysis.factorImpact", { project: "p" }))).code).toBe("NOT_FOUND");
  });

  it("compares picked runs as configurations and tests ablation cells against a baseline", async () => {
    const c = await as.read("analysis.compareConfigs", { project: "p", runIds: ["a-1", "a-2"] });
    expect(c.configurations).toHaveLength(2);
    expect(c.comparisons[0].welch.pValue).toBeTypeOf("number");
    const grid = await as.read("analysis.ablation", { project: "p", baseline: { row: "tiny-a", column: "lora" } });
    const cell = grid.cells.find((x: { row: string; column: string }) => x.row === "tiny-b" && x.column === "lora");
    expect(cell.versusBaseline.text).toMatch(/tiny-a × lora|tiny-b × lora/);
    const odd = await as.read("analysis.factorImpact", { project: "p", target: "config.constructor" });
    expect(odd.result).toBeNull();
    expect(odd.reason).toMatch(/Only 0 of 6 runs have config\.constructor/);
    const denied = await failure(as.other("analysis.compareConfigs", { project: "p", runIds: ["a-1", "a-2"] }));
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(denied.code);
  });

  it("names the field of bad input", async () => {
    expect(await failure(as.read("analysis.compareConfigs", { project: "p", runIds: ["a-1"] }))).toMatchObject({ code: "BAD_REQUEST", field: "runIds" });
    expect(await failure(as.read("analysis.factorImpact", { project: "p", includeDerived: "yes" }))).toMatchObject({ code: "BAD_REQUEST", field: "includeDerived" });
    const sameAxes = await failure(as.read("analysis.ablation", { project: "p", rows: "method", columns: "method" }));
    expect(sameAxes).toMatchObject({ code: "BAD_REQUEST", field: "columns" });
    const badTarget = await failure(as.read("analysis.factorImpact", { project: "p", target: "accuracy" }));
    expect(badTarget.code).toBe("BAD_REQUEST");
    expect(badTarget.message).toMatch(/target.*accuracy/);
    const badDirection = await failure(as.read("analysis.ablation", { project: "p", direction: "up" }));
    expect(badDirection).toMatchObject({ code: "BAD_REQUEST", field: "direction" });
  });
});
