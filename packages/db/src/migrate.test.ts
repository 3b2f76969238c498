import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "./connect-db";
import { migrate, MigrationError, readMigrations } from "./migrate";
import { diffDatabaseAgainstSchema } from "../test/schema-drift";
import { createTestDb } from "../test/testing";

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

  it("run ids per project: converts old-shape data, artifacts and parents kept, then lets two projects share an id", async () => {
    const db = await emptyDb();
    const name = "20261201232000_run_ids_per_project";
    const dir = mkdtempSync(path.join(os.tmpdir(), "ft-migrations-"));
    try {
      for (const file of readMigrations().filter((f) => f.name < name)) {
        mkdirSync(path.join(dir, file.name));
        writeFileSync(path.join(dir, file.name, "migration.sql"), file.sql);
      }
      await migrate(db.url, { dir });
      // The old shape: Run.id the primary key, Artifact.runId and Run.parentRunId pointing at it.
      await db.pool.query(`
        INSERT INTO "Project" ("id", "slug", "name", "updatedAt") VALUES ('pa', 'a', 'A', now()), ('pb', 'b', 'B', now());
        INSERT INTO "Run" ("id", "projectId", "name", "updatedAt", "parentRunId") VALUES
          ('parent', 'pa', 'parent', now(), NULL), ('child', 'pa', 'child', now(), 'parent'), ('other', 'pb', 'other', now(), NULL);
        INSERT INTO "Artifact" ("id", "runId", "name", "kind", "uri") VALUES
          ('a1', 'parent', 'model', 'checkpoint', 'file:///m'), ('a2', 'child', 'model', 'quantized_model', 'file:///q'), ('a3', 'other', 'model', 'checkpoint', 'file:///o');`);
      const seqs = new Map((await db.pool.query<{ id: string; seq: number }>(`SELECT "id", "seq" FROM "Run"`)).rows.map((r) => [r.id, r.seq]));

      expect((await migrate(db.url)).applied).toEqual(readMigrations().filter((f) => f.name >= name).map((f) => f.name));
      expect(await diffDatabaseAgainstSchema(db.pool)).toEqual([]);
      const artifacts = await db.pool.query(`SELECT a."id", a."runSeq", r."id" AS "runId" FROM "Artifact" a JOIN "Run" r ON r."seq" = a."runSeq" ORDER BY a."id"`);
      expect(artifacts.rows).toEqual([
        { id: "a1", runSeq: seqs.get("parent"), runId: "parent" },
        { id: "a2", runSeq: seqs.get("child"), runId: "child" },
        { id: "a3", runSeq: seqs.get("other"), runId: "other" },
      ]);
      const child = await db.pool.query(`SELECT c."parentRunId", p."seq" AS "parentSeq" FROM "Run" c JOIN "Run" p ON p."projectId" = c."projectId" AND p."id" = c."parentRunId" WHERE c."id" = 'child'`);
      expect(child.rows).toEqual([{ parentRunId: "parent", parentSeq: seqs.get("parent") }]);

      // Now "parent" may exist in project b too, with its own artifact; a's artifacts and child stay a's.
      await db.pool.query(`INSERT INTO "Run" ("id", "projectId", "name", "updatedAt") VALUES ('parent', 'pb', 'b parent', now())`);
      const bParent = (await db.pool.query(`SELECT "seq" FROM "Run" WHERE "projectId" = 'pb' AND "id" = 'parent'`)).rows[0].seq;
      await db.pool.query(`INSERT INTO "Artifact" ("id", "runSeq", "name", "kind", "uri") VALUES ('a4', $1, 'model', 'checkpoint', 'file:///b')`, [bParent]);
      await expect(db.pool.query(`INSERT INTO "Run" ("id", "projectId", "name", "updatedAt") VALUES ('parent', 'pa', 'again', now())`)).rejects.toThrow(/Run_projectId_id_key/);
      // A parent must be a run of the child's own project.
      await expect(db.pool.query(`INSERT INTO "Run" ("id", "projectId", "name", "updatedAt", "parentRunId") VALUES ('x', 'pa', 'x', now(), 'other')`)).rejects.toThrow(/Run_projectId_parentRunId_fkey/);
      await db.pool.query(`DELETE FROM "Project" WHERE "id" = 'pa'`);
      expect((await db.pool.query(`SELECT "id", "projectId" FROM "Run" ORDER BY "seq"`)).rows).toEqual([{ id: "other", projectId: "pb" }, { id: "parent", projectId: "pb" }]);
      expect((await db.pool.query(`SELECT "id" FROM "Artifact" ORDER BY "id"`)).rows).toEqual([{ id: "a3" }, { id: "a4" }]);
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
