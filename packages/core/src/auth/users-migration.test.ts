import { readMigrations } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { expect, it } from "vitest";
import { sha256Hex } from "../shared/secrets";
import { authenticate } from "./authenticate";
import { bootstrapLocal } from "./bootstrap-local";
import { createSession } from "./create-session";

it("a database from before users keeps its keys and sessions working, owned by a password-less admin that the next start completes", async () => {
  const db = await createTestDb({ empty: true });
  try {
    const migrations = readMigrations();
    const at = migrations.findIndex((m) => m.name.endsWith("_users_roles"));
    for (const m of migrations.slice(0, at)) await db.pool.query(m.sql);
    await db.pool.query(`INSERT INTO "Project" ("id", "slug", "name", "updatedAt") VALUES ('p1', 'default', 'Default', now())`);
    await db.pool.query(`INSERT INTO "ApiKey" ("id", "projectId", "name", "prefix", "secretHash", "scopes") VALUES ('k1', 'p1', 'old', 'ft_old', $1, '{admin}')`, [sha256Hex("ft_old_secret")]);
    await db.pool.query(`INSERT INTO "Session" ("id", "apiKeyId", "secretHash", "expiresAt") VALUES ('s1', 'k1', $1, now() + interval '1 day')`, [sha256Hex("fts_old")]);
    for (const m of migrations.slice(at)) await db.pool.query(m.sql);

    expect(await authenticate(db, { authorization: "Bearer ft_old_secret" })).toMatchObject({ user: { username: "admin", isAdmin: true }, key: { projectSlug: "default", scopes: ["admin"] } });
    expect(await authenticate(db, { sessionSecret: "fts_old" })).toMatchObject({ via: "session", user: { username: "admin" }, key: { id: "k1" } });
    const started = await bootstrapLocal(db);
    expect(started.key).toBeNull();
    expect(started.admin).toMatchObject({ username: "admin", created: false });
    expect((await createSession(db, { username: "admin", password: started.admin.password! })).principal.user.isAdmin).toBe(true);
  } finally {
    await db.close();
  }
});
