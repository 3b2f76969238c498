import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startDatabase } from "./start-database";

// A folder the server creates itself, as on a fresh clone (.finetrack/ does not exist yet).
const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "ft-start-db-")), "data");
chmodSync(path.dirname(dataDir), 0o755);
afterAll(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("startDatabase without DATABASE_URL", () => {
  it("starts an embedded PostgreSQL, migrates it, and reuses its data on the next start", async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const first = await startDatabase({ dataDir });
      expect(first.embedded).toBe(true);
      await query(first.url, `INSERT INTO "Project" (id, slug, name, "updatedAt") VALUES ('p1', 'kept', 'Kept', now())`);
      await first.stop();

      const second = await startDatabase({ dataDir });
      const rows = await query(second.url, `SELECT slug FROM "Project"`);
      const migrations = await query(second.url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      await second.stop();
      expect(rows).toEqual([{ slug: "kept" }]);
      expect(migrations[0].n).toBeGreaterThan(0);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});
