import { createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "./http-server";
import "./index"; // registers the REST routes
import { failure, makeCall, type Call } from "./test/transports";

let db: Db;
let server: HttpServer;
let call: Call;
const slugs = ["pg-a", "pg-b", "pg-c", "pg-d", "pg-e"];
beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 0 });
  call = makeCall("http", { db, url: server.url, authEnabled: false });
  // Created out of order: the list is by slug, not by creation.
  for (const slug of [...slugs].reverse()) await createProject(db, { slug, name: slug });
  await call("run.create", { project: "pg-a", id: "pg-run" });
  for (let i = 0; i < 5; i++) {
    await call("key.create", { project: "pg-a", name: `key ${i}`, scopes: ["read"] });
    await call("artifact.log", { runId: "pg-run", name: `a${i}`, kind: "checkpoint", uri: `file:///a${i}` });
  }
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** Every item, two at a time, passing each page's last id as the next cursor. */
async function pages(path: string, input: object): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page: Array<{ id: string; slug?: string; name: string }> = await call(path, { ...input, limit: 2, cursor });
    out.push(page.map((item) => item.slug ?? item.name));
    if (page.length < 2) return out;
    cursor = page[page.length - 1].id;
  }
}

describe("project.list, key.list and artifact.list are paginated", () => {
  it("pages through every item once, in order, with limit and the previous page's last id as cursor", async () => {
    expect(await pages("project.list", {})).toEqual([["pg-a", "pg-b"], ["pg-c", "pg-d"], ["pg-e"]]);
    // Items created within one millisecond are ordered by id: compare with the unpaged order.
    for (const [path, input] of [["key.list", { project: "pg-a" }], ["artifact.list", { runId: "pg-run" }]] as const) {
      const all = (await call(path, input)).map((item: { name: string }) => item.name);
      expect(all.toSorted()).toEqual(path === "key.list" ? ["key 0", "key 1", "key 2", "key 3", "key 4"] : ["a0", "a1", "a2", "a3", "a4"]);
      expect(await pages(path, input)).toEqual([all.slice(0, 2), all.slice(2, 4), all.slice(4)]);
    }
  });

  it("without limit or cursor, callers get the whole (bounded) list as before", async () => {
    expect((await call("project.list")).map((p: { slug: string }) => p.slug)).toEqual(slugs);
    expect(await call("key.list", { project: "pg-a" })).toHaveLength(5);
    expect(await call("artifact.list", { runId: "pg-run" })).toHaveLength(5);
  });

  it("REST pages the same way: ?limit and ?cursor on /api/v1/projects and /api/v1/runs/{id}/artifacts", async () => {
    const base = new URL(server.url).origin;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, body: await res.json() };
    };
    const first = await get("/api/v1/projects?limit=2");
    expect(first.body.map((p: { slug: string }) => p.slug)).toEqual(["pg-a", "pg-b"]);
    expect((await get(`/api/v1/projects?limit=2&cursor=${first.body[1].id}`)).body.map((p: { slug: string }) => p.slug)).toEqual(["pg-c", "pg-d"]);
    const all = (await get("/api/v1/runs/pg-run/artifacts")).body.map((a: { name: string }) => a.name);
    const page = await get("/api/v1/runs/pg-run/artifacts?limit=3");
    expect(page.body.map((a: { name: string }) => a.name)).toEqual(all.slice(0, 3));
    expect((await get(`/api/v1/runs/pg-run/artifacts?limit=3&cursor=${page.body[2].id}`)).body.map((a: { name: string }) => a.name)).toEqual(all.slice(3));
    expect((await get("/api/v1/runs/pg-run/artifacts?limit=0")).status).toBe(400);
  });

  it("refuses a cursor of another list and a limit past the bound with a 400 naming the field", async () => {
    const [artifact] = await call("artifact.list", { runId: "pg-run" });
    expect(await failure(call("project.list", { cursor: artifact.id }))).toMatchObject({ code: "BAD_REQUEST", field: "cursor", message: expect.stringContaining("expected the id of the last item of a previous page") });
    expect(await failure(call("key.list", { project: "pg-a", cursor: artifact.id }))).toMatchObject({ code: "BAD_REQUEST", field: "cursor" });
    expect(await failure(call("artifact.list", { runId: "pg-run", cursor: "forged" }))).toMatchObject({ code: "BAD_REQUEST", field: "cursor" });
    expect(await failure(call("artifact.list", { runId: "pg-run", limit: 1_001 }))).toMatchObject({ code: "BAD_REQUEST", field: "limit", message: "limit: expected at most 1000" });
  });
});
