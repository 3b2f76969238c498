import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../key/create-api-key";
import { listApiKeys } from "../key/list-api-keys";
import { revokeApiKey } from "../key/revoke-api-key";
import { createProject } from "../project/create-project";
import { authenticate } from "./authenticate";
import { bootstrapLocal } from "./bootstrap-local";
import { createSession } from "./create-session";
import { deleteSession } from "./delete-session";
import { hasScope } from "./principal";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
});
afterAll(() => db?.close());

describe("API keys and authentication", () => {
  it("stores only the hash and resolves a Bearer secret to its project and scopes", async () => {
    const key = await createApiKey(db, { project: "p", name: "ci", scopes: ["write"] });
    expect(key.secret.startsWith(`${key.prefix}_`)).toBe(true);
    const { rows } = await db.pool.query(`SELECT "secretHash" FROM "ApiKey" WHERE id = $1`, [key.id]);
    expect(rows[0].secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await listApiKeys(db, "p"))).not.toContain(key.secret);
    const principal = await authenticate(db, { authorization: `Bearer ${key.secret}` });
    expect(principal).toMatchObject({ via: "apiKey", keyId: key.id, projectSlug: "p", scopes: ["write"] });
    expect(hasScope(principal!, "read")).toBe(true);
    expect(hasScope(principal!, "admin")).toBe(false);
  });

  it("rejects unknown, malformed and revoked keys", async () => {
    await expect(authenticate(db, { authorization: "Bearer ft_nope_nope" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(authenticate(db, { authorization: "Basic abc" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const key = await createApiKey(db, { project: "p", name: "old", scopes: ["read"] });
    const session = await createSession(db, key.secret);
    await revokeApiKey(db, key.id);
    await expect(authenticate(db, { authorization: `Bearer ${key.secret}` })).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("revoked") });
    await expect(authenticate(db, { sessionSecret: session.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await authenticate(db, {})).toBeNull();
  });

  it("opens and ends dashboard sessions", async () => {
    const key = await createApiKey(db, { project: "p", name: "browser", scopes: ["read"] });
    const session = await createSession(db, key.secret);
    expect(await authenticate(db, { sessionSecret: session.secret })).toMatchObject({ via: "session", keyId: key.id });
    await deleteSession(db, session.secret);
    await expect(authenticate(db, { sessionSecret: session.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("bootstraps the default project and an admin key once", async () => {
    const [a, b] = await Promise.all([bootstrapLocal(db), bootstrapLocal(db)]);
    const created = [a, b].filter((r) => r.key);
    expect(created).toHaveLength(1);
    expect(created[0].key!.scopes).toEqual(["admin"]);
    expect(a.project.slug).toBe("default");
    expect((await bootstrapLocal(db)).key).toBeNull();
    expect(await authenticate(db, { authorization: `Bearer ${created[0].key!.secret}` })).toMatchObject({ projectSlug: "default" });
  });
});
