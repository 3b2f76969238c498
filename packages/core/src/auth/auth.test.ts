import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../key/create-api-key";
import { listApiKeys } from "../key/list-api-keys";
import { revokeApiKey } from "../key/revoke-api-key";
import { createProject } from "../project/create-project";
import { setMember } from "../project/set-member";
import { createUser } from "../user/create-user";
import { resetPassword } from "../user/reset-password";
import { setUserDisabled } from "../user/set-user-disabled";
import { authenticate, SESSION_ROTATE_MS } from "./authenticate";
import { authorize, readableProjectIds } from "./authorize";
import { bootstrapLocal } from "./bootstrap-local";
import { createSession } from "./create-session";
import { deleteSession, deleteUserSessions } from "./delete-session";
import { roleIn, type Principal } from "./principal";

let db: Db;
let alice: { id: string };
let bob: { id: string };
let projectId: string;
beforeAll(async () => {
  db = await createTestDb();
  alice = await createUser(db, { username: "alice", password: "alice-password-1" });
  bob = await createUser(db, { username: "bob", password: "bob-password-12" });
  projectId = (await createProject(db, { slug: "p", name: "P" }, { ownerId: alice.id })).id;
  await createProject(db, { slug: "secret", name: "Secret" }, { ownerId: alice.id });
  await setMember(db, projectId, "bob", "viewer");
});
afterAll(() => db?.close());

const bearer = (secret: string) => authenticate(db, { authorization: `Bearer ${secret}` });

describe("users and passwords", () => {
  it("stores an scrypt hash, never the password, and signs in only with the right one", async () => {
    const { rows } = await db.pool.query(`SELECT "passwordHash" FROM "User" WHERE "username" = 'alice'`);
    expect(rows[0].passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(rows[0].passwordHash).not.toContain("alice-password-1");
    const session = await createSession(db, { username: "alice", password: "alice-password-1" });
    expect(session.principal).toMatchObject({ via: "session", user: { username: "alice", isAdmin: false }, key: null });
    expect(roleIn(session.principal, projectId)).toBe("owner");
    await expect(createSession(db, { username: "alice", password: "alice-password-2" })).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "wrong username or password" });
    await expect(createSession(db, { username: "nobody", password: "alice-password-1" })).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "wrong username or password" });
  });

  it("generates a one-time password when none is given, and a reset ends sessions", async () => {
    const carol = await createUser(db, { username: "carol" });
    expect(carol.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const session = await createSession(db, { username: "carol", password: carol.password! });
    const reset = await resetPassword(db, { username: "carol" });
    expect(reset.password).not.toBe(carol.password);
    await expect(authenticate(db, { sessionSecret: session.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(createSession(db, { username: "carol", password: carol.password! })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await createSession(db, { username: "carol", password: reset.password! })).principal.user.username).toBe("carol");
    await expect(createUser(db, { username: "carol" })).rejects.toMatchObject({ code: "CONFLICT", field: "username" });
  });
});

describe("API keys", () => {
  it("stores only the hash, belongs to a user and a project, and is capped by the user's role", async () => {
    const key = await createApiKey(db, { project: "p", name: "ci", scopes: ["write"] }, { userId: alice.id, role: "owner" });
    expect(key.secret.startsWith(`${key.prefix}_`)).toBe(true);
    const { rows } = await db.pool.query(`SELECT "secretHash" FROM "ApiKey" WHERE id = $1`, [key.id]);
    expect(rows[0].secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await listApiKeys(db, { projectId }))).not.toContain(key.secret);
    const principal = (await bearer(key.secret))!;
    expect(principal).toMatchObject({ via: "apiKey", user: { username: "alice" }, key: { id: key.id, projectSlug: "p", scopes: ["write"] } });
    expect(roleIn(principal, projectId)).toBe("editor");
    expect(readableProjectIds(principal)).toEqual([projectId]);
    await expect(createApiKey(db, { project: "p", name: "too wide", scopes: ["write"] }, { userId: bob.id, role: "viewer" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      field: "scopes",
      message: expect.stringContaining("at most the 'read' scope"),
    });
  });

  it("acts within the user's current role: a demoted user's admin key becomes a viewer's", async () => {
    await setMember(db, projectId, "bob", "owner");
    const key = await createApiKey(db, { project: "p", name: "bob admin", scopes: ["admin"] }, { userId: bob.id, role: "owner" });
    expect(roleIn((await bearer(key.secret))!, projectId)).toBe("owner");
    await setMember(db, projectId, "bob", "viewer");
    expect(roleIn((await bearer(key.secret))!, projectId)).toBe("viewer");
  });

  it("refuses unknown, malformed, revoked and expired keys", async () => {
    await expect(bearer("ft_nope_nope")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(authenticate(db, { authorization: "Basic abc" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const key = await createApiKey(db, { project: "p", name: "old", scopes: ["read"] }, { userId: alice.id, role: "owner" });
    const session = await createSession(db, { apiKey: key.secret });
    await revokeApiKey(db, key.id);
    await expect(bearer(key.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("revoked") });
    await expect(authenticate(db, { sessionSecret: session.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const soon = await createApiKey(db, { project: "p", name: "short", scopes: ["read"], expiresAt: new Date(Date.now() + 60_000) }, { userId: alice.id, role: "owner" });
    expect(await bearer(soon.secret)).not.toBeNull();
    await db.pool.query(`UPDATE "ApiKey" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [soon.id]);
    await expect(bearer(soon.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("expired") });
    await expect(createApiKey(db, { project: "p", name: "past", scopes: ["read"], expiresAt: new Date(Date.now() - 1000) }, { userId: alice.id, role: "owner" })).rejects.toMatchObject({ field: "expiresAt" });
    expect(await authenticate(db, {})).toBeNull();
  });

  it("stops a disabled user's keys and sessions at once, and enabling restores the keys", async () => {
    const dave = await createUser(db, { username: "dave", password: "dave-password-1" });
    await setMember(db, projectId, "dave", "editor");
    const key = await createApiKey(db, { project: "p", name: "dave", scopes: ["write"] }, { userId: dave.id, role: "editor" });
    const session = await createSession(db, { username: "dave", password: "dave-password-1" });
    await setUserDisabled(db, "dave", true, alice.id);
    await expect(bearer(key.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("disabled") });
    await expect(authenticate(db, { sessionSecret: session.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(createSession(db, { username: "dave", password: "dave-password-1" })).rejects.toMatchObject({ message: expect.stringContaining("disabled") });
    await setUserDisabled(db, "dave", false, alice.id);
    expect((await bearer(key.secret))?.user.username).toBe("dave");
  });
});

describe("sessions", () => {
  it("rotates an old session's secret, accepts the previous one briefly, and ends everywhere", async () => {
    const first = await createSession(db, { username: "bob", password: "bob-password-12" });
    const second = await createSession(db, { username: "bob", password: "bob-password-12" });
    await db.pool.query(`UPDATE "Session" SET "rotatedAt" = now() - make_interval(secs => $1) WHERE "id" = $2`, [SESSION_ROTATE_MS / 1000 + 1, first.principal.sessionId]);
    const rotated = (await authenticate(db, { sessionSecret: first.secret }))!;
    expect(rotated.rotatedSecret?.secret).toMatch(/^fts_/);
    expect((await authenticate(db, { sessionSecret: rotated.rotatedSecret!.secret }))?.sessionId).toBe(first.principal.sessionId);
    // A parallel request still carrying the old cookie is served, without rotating again.
    expect((await authenticate(db, { sessionSecret: first.secret }))?.rotatedSecret).toBeUndefined();
    await db.pool.query(`UPDATE "Session" SET "rotatedAt" = now() - interval '2 minutes' WHERE "id" = $1`, [first.principal.sessionId]);
    await expect(authenticate(db, { sessionSecret: first.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await deleteSession(db, second.secret);
    await expect(authenticate(db, { sessionSecret: second.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await deleteUserSessions(db, bob.id)).toBe(1);
    await expect(authenticate(db, { sessionSecret: rotated.rotatedSecret!.secret })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("authorize", () => {
  const asBob = async () => (await createSession(db, { username: "bob", password: "bob-password-12" })).principal;

  it("answers a project the caller cannot read exactly like a missing one", async () => {
    const bobP: Principal = await asBob();
    const foreign = await authorize(db, bobP, { kind: "project", slug: "secret", field: "project", role: "viewer" }).catch((e) => e);
    const missing = await authorize(db, bobP, { kind: "project", slug: "no-such", field: "project", role: "viewer" }).catch((e) => e);
    expect([foreign.code, foreign.field]).toEqual(["NOT_FOUND", "project"]);
    expect(foreign.message).toBe(missing.message.replace("no-such", "secret"));
    expect((await authorize(db, bobP, { kind: "project", slug: "p", field: "project", role: "viewer" })).project?.slug).toBe("p");
    await expect(authorize(db, bobP, { kind: "project", slug: "p", field: "project", role: "editor" })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("is viewer") });
    await expect(authorize(db, bobP, { kind: "instanceAdmin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(authorize(db, null, { kind: "signedIn" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await authorize(db, null, { kind: "project", slug: "secret", field: "project", role: "owner" }, false)).toMatchObject({ project: { slug: "secret" } });
  });
});

describe("bootstrap", () => {
  it("creates the instance admin, the default project and an admin key once", async () => {
    const fresh = await createTestDb();
    try {
      const [a, b] = await Promise.all([bootstrapLocal(fresh), bootstrapLocal(fresh)]);
      const created = [a, b].filter((r) => r.key);
      expect(created).toHaveLength(1);
      expect([a, b].filter((r) => r.admin.password)).toHaveLength(1);
      expect(created[0].key!.scopes).toEqual(["admin"]);
      expect(a.project.slug).toBe("default");
      const again = await bootstrapLocal(fresh, { adminPassword: "ignored-after-first-start" });
      expect([again.key, again.admin.password]).toEqual([null, null]);
      const principal = (await authenticate(fresh, { authorization: `Bearer ${created[0].key!.secret}` }))!;
      expect(principal).toMatchObject({ user: { username: "admin", isAdmin: true }, key: { projectSlug: "default" } });
      const password = [a, b].find((r) => r.admin.password)!.admin.password!;
      expect((await createSession(fresh, { username: "admin", password })).principal.user.isAdmin).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it("takes the admin password from the caller, and gives a migrated admin without one a password", async () => {
    const fresh = await createTestDb();
    try {
      const first = await bootstrapLocal(fresh, { adminPassword: "from-the-environment" });
      expect(first.admin).toMatchObject({ created: true, password: null });
      expect((await createSession(fresh, { username: "admin", password: "from-the-environment" })).principal.user.isAdmin).toBe(true);
      await fresh.pool.query(`UPDATE "User" SET "passwordHash" = NULL`);
      const second = await bootstrapLocal(fresh);
      expect(second.admin.password).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(second.key).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});
