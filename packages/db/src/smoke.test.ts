import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../test/testing";
import type { Db } from "./connect-db";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

describe("test database", () => {
  it("is migrated and usable through Prisma and raw SQL", async () => {
    const project = await db.prisma.project.create({ data: { slug: "p", name: "P" } });
    const run = await db.prisma.run.create({ data: { id: "r1", projectId: project.id, name: "r1", tags: ["a"] } });
    expect(run.seq).toBeGreaterThan(0);
    await db.pool.query(
      `INSERT INTO "MetricPoint" ("runSeq","keyId","step","value","time") VALUES ($1,1,0,'NaN',now()),($1,1,1,'Infinity',now()),($1,1,2,'-Infinity',now())`,
      [run.seq],
    );
    const { rows } = await db.pool.query(`SELECT value FROM "MetricPoint" WHERE "runSeq"=$1 ORDER BY step`, [run.seq]);
    expect(rows.map((r) => r.value)).toEqual([NaN, Infinity, -Infinity]);
  });
});
