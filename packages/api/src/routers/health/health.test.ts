import net from "node:net";
import { connectDb, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchHandler } from "../../fetch-handler";
import { createHttpServer, type HttpServer } from "../../http-server";

/** A TCP proxy in front of the test database that the test can take down and bring back. */
function switchableProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("error", () => {});
          s.on("close", () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { up, down, port: () => port };
}

let testDb: Db;
let db: Db;
let proxy: ReturnType<typeof switchableProxy>;
let servers: HttpServer[];
beforeAll(async () => {
  testDb = await createTestDb();
  const url = new URL(testDb.url);
  proxy = switchableProxy({ host: url.hostname, port: Number(url.port) });
  await proxy.up();
  url.port = String(proxy.port());
  db = connectDb(url.toString(), { poolSize: 3 });
  servers = [await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 0 }), await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 })];
});
afterAll(async () => {
  for (const s of servers ?? []) await s.close();
  await db?.close();
  await testDb?.close();
});

async function call(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/${path}`, { headers });
  return { status: res.status, body: await res.text() };
}

describe("health and requests while the database is gone", () => {
  it("answer 503 (not 500, not a hang) naming the cause but no internals, then 200 once it is back, without a restart", async () => {
    const [open, authed] = servers.map((s) => s.url);
    const nextRoute = createFetchHandler({ db, authEnabled: false });
    const viaNext = async (path: string) => {
      const res = await nextRoute(new Request(`http://localhost/api/trpc/${path}`));
      return { status: res.status, body: await res.text() };
    };
    expect((await call(open, "health.check")).status).toBe(200);
    expect((await call(open, "project.list")).status).toBe(200);

    await proxy.down();
    const gone = [
      await call(open, "health.check"),
      await call(open, "project.list"),
      // With auth on, even authenticating needs the database: still 503, not 401 or 500.
      await call(authed, "project.list", { authorization: "Bearer ft_nothing_here" }),
      await viaNext("health.check"),
    ];
    for (const res of gone) {
      expect(res.status).toBe(503);
      expect(res.body).toContain("the database is unavailable");
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:\d{4,5}\b|at .*\.ts/);
    }

    await proxy.up();
    expect((await call(open, "health.check")).status).toBe(200);
    expect((await call(open, "project.list")).status).toBe(200);
    expect((await viaNext("health.check")).status).toBe(200);
  });
});
