import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "./connect-db";
import { migrate, MigrationError, readMigrations } from "./migrate";
import { diffDatabaseAgainstSchema } from "./schema-drift";
import { createTestDb } from "./testing";

const open: Db[] = [];
async function emptyDb() {
  const db = await createTestDb({ empty: true });
  open.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

describe("migrator", () => {
  it("applies every migration to an empty database and the result matches schema.prisma exactly", async () => {
    const db = await emptyDb();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const { applied } = await migrate(db.url);
    expect(applied).toEqual(files.map((f) => f.name));
    expect(await diffDatabaseAgainstSchema(db.pool)).toEqual([]);
  });

  it("records _prisma_migrations the way Prisma Migrate does and is idempotent", async () => {
    const db = await emptyDb();
    await migrate(db.url);
    const { rows } = await db.pool.query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    const files = readMigrations();
    expect(rows).toHaveLength(files.length);
    rows.forEach((row, i) => {
      expect(row.migration_name).toBe(files[i].name);
      expect(row.checksum).toBe(createHash("sha256").update(files[i].sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect((await migrate(db.url)).applied).toEqual([]);
    const again = await db.pool.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(again.rows[0].n).toBe(files.length);
  });

  it("serializes concurrent migrators under the advisory lock", async () => {
    const db = await emptyDb();
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, readMigrations().length]);
  });

  it("rolls a failing migration back, records it as failed, and refuses to go on", async () => {
    const db = await emptyDb();
    const dir = mkdtempSync(path.join(os.tmpdir(), "ft-migrations-"));
    try {
      mkdirSync(path.join(dir, "20260101000000_ok"));
      writeFileSync(path.join(dir, "20260101000000_ok", "migration.sql"), `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
      mkdirSync(path.join(dir, "20260102000000_bad"));
      writeFileSync(path.join(dir, "20260102000000_bad", "migration.sql"), `CREATE TABLE "B" ("id" INTEGER);\nSELECT * FROM "does_not_exist";`);
      await expect(migrate(db.url, { dir })).rejects.toThrow(/20260102000000_bad.*does_not_exist/);
      const tables = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema='public' ORDER BY 1`);
      expect(tables.rows.map((r) => r.table_name)).toEqual(["A", "_prisma_migrations"]);
      const failed = await db.pool.query(`SELECT * FROM "_prisma_migrations" WHERE migration_name = '20260102000000_bad'`);
      expect(failed.rows[0].finished_at).toBeNull();
      expect(failed.rows[0].logs).toMatch(/does_not_exist/);
      await expect(migrate(db.url, { dir })).rejects.toBeInstanceOf(MigrationError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the drift check notices a database that differs from the schema", async () => {
    const db = await emptyDb();
    await migrate(db.url);
    await db.pool.query(`ALTER TABLE "Run" DROP COLUMN "notes"; DROP INDEX "Run_tags_idx"; ALTER TABLE "Project" ALTER COLUMN "description" DROP NOT NULL; CREATE INDEX "extra" ON "Dataset"("name"); ALTER TABLE "Dataset" ALTER COLUMN "source" TYPE VARCHAR(10)`);
    const problems = await diffDatabaseAgainstSchema(db.pool);
    expect(problems).toEqual(
      expect.arrayContaining([
        "column Run.notes is missing",
        expect.stringContaining("index Run_tags_idx"),
        expect.stringContaining("column Project.description: nullable=YES"),
        expect.stringContaining("index extra"),
        "column Dataset.source: type character varying(10), schema wants text",
      ]),
    );
  });
});
