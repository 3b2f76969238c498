import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "./connect-db";
import { isDatabaseUnavailable } from "./database-unavailable";
import { freePort } from "./embedded-postgres";
import { readDbEnv } from "./env";
import { createTestDb } from "../test/testing";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

/** Ends a backend the way a server shutdown does (57P01), from a superuser session. */
async function terminate(backendPid: number) {
  const admin = new pg.Client({ connectionString: readDbEnv().FINETRACK_TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend($1)", [backendPid]);
  } finally {
    await admin.end();
  }
}

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe("connectDb when the server drops connections", () => {
  it("a checked-out client losing its connection fails its query, does not emit an unhandled 'error', and the pool carries on", async () => {
    const client = await db.pool.connect();
    await client.query("BEGIN");
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const ended = new Promise((resolve) => client.once("end", resolve));
    await terminate(rows[0].pid);
    await ended; // the 'error' event has fired by now; without a listener it would have crashed the process
    const error = await errorOf(client.query("SELECT 1"));
    expect(isDatabaseUnavailable(error)).toBe(true);
    client.release(error as Error);
    expect((await db.pool.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
  });

  it("the same holds for Prisma's pool, inside an interactive transaction", async () => {
    const error = await errorOf(
      db.prisma.$transaction(async (tx) => {
        const [{ pid }] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
        await terminate(pid);
        await new Promise((r) => setTimeout(r, 100));
        await tx.$queryRaw`SELECT 1`;
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(await db.prisma.project.count()).toBe(0);
  });

  it("tells 'the database is not there' from a bad query", async () => {
    const nowhere = connectDb(`postgresql://x:y@127.0.0.1:${await freePort()}/nothing`, { poolSize: 1 });
    try {
      expect(isDatabaseUnavailable(await errorOf(nowhere.pool.query("SELECT 1")))).toBe(true);
      expect(isDatabaseUnavailable(await errorOf(nowhere.prisma.project.count()))).toBe(true);
    } finally {
      await nowhere.close();
    }
    expect(isDatabaseUnavailable(await errorOf(db.pool.query("SELEC 1")))).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(db.pool.query(`SELECT * FROM "NoSuchTable"`)))).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(db.prisma.project.create({ data: { slug: "a", name: "A" } }).then(() => db.prisma.project.create({ data: { slug: "a", name: "A" } }))))).toBe(false);
  });
});
