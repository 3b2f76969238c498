import { createApiKey, createProject, createRun, createSession, createUser, setMember } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "./http-server";
import { appRouter } from "./root";
import { failure, makeCall, type Call } from "./test/transports";
import type { Access } from "./trpc";

/**
 * Every procedure of appRouter against every kind of caller, over real HTTP: the procedures are
 * read from the router itself, so one added later is covered without editing this file.
 */
type Who = "admin" | "owner" | "editor" | "viewer" | "outsider" | "anonymous";
const WHO: Who[] = ["admin", "owner", "editor", "viewer", "outsider", "anonymous"];
const ROLE_IN_A: Record<Who, "owner" | "editor" | "viewer" | null> = { admin: "owner", owner: "owner", editor: "editor", viewer: "viewer", outsider: null, anonymous: null };
const RANK = { viewer: 1, editor: 2, owner: 3 };
const PUBLIC = ["health.check", "session.me", "session.signIn", "session.signOut"];

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation"; meta?: { access?: Access } } }>;

/** Mutations that are not editor work on a project: account-level calls, scoped to the caller by their handlers. */
const MUTATIONS_BELOW_EDITOR = ["key.create", "project.create", "session.revoke", "session.signIn", "session.signOut", "session.signOutEverywhere"];
/** Owner-only (members, keys, deleting) and instance-admin-only work, pinned so a declaration cannot drift. */
const PINNED: Record<string, string> = {
  "key.revoke": "owner",
  "key.list": "viewer",
  "project.setMember": "owner",
  "project.removeMember": "owner",
  "user.create": "instanceAdmin",
  "user.list": "instanceAdmin",
  "user.setDisabled": "instanceAdmin",
  "user.resetPassword": "instanceAdmin",
};
const declared = (a: Access) => ("role" in a ? a.role : Object.keys(a)[0]);

let db: Db;
let server: HttpServer;
const password = "a-long-password";
const cookies: Partial<Record<Who, string>> = {};
let runA: string;
let keyA: string;

async function signIn(who: Who): Promise<void> {
  if (who === "anonymous") return;
  const session = await createSession(db, { username: who, password });
  cookies[who] = `finetrack_session=${session.secret}`;
}

function callAs(who: Who): Call {
  return makeCall("http", { db, url: server.url, headers: cookies[who] ? { cookie: cookies[who]! } : {} });
}

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  const users: Record<string, string> = {};
  for (const who of WHO.filter((w) => w !== "anonymous")) users[who] = (await createUser(db, { username: who, password, isAdmin: who === "admin" })).id;
  const a = await createProject(db, { slug: "a", name: "A" }, { ownerId: users.owner });
  await createProject(db, { slug: "b", name: "B" }, { ownerId: users.outsider });
  await setMember(db, a.id, "editor", "editor");
  await setMember(db, a.id, "viewer", "viewer");
  runA = (await createRun(db, { project: "a", id: "run-in-a", name: "secret run" })).id;
  await createRun(db, { project: "b", id: "run-in-b" });
  keyA = (await createApiKey(db, { project: "a", name: "owner's", scopes: ["write"] }, { userId: users.owner, role: "owner" })).id;
  for (const who of WHO) await signIn(who);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** The input naming project a / run-in-a / the owner's key in the declared field, and nothing else. */
function inputFor(access: Access): unknown {
  if ("project" in access) return { [access.project]: "a" };
  if ("runs" in access) return { [access.runs]: access.runs.endsWith("s") ? [runA] : runA };
  if ("apiKey" in access) return { [access.apiKey]: keyA };
  return undefined;
}

function expected(access: Access, who: Who): "allowed" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" {
  if ("public" in access) return "allowed";
  if (who === "anonymous") return "UNAUTHORIZED";
  if ("signedIn" in access || "listing" in access) return "allowed";
  if ("instanceAdmin" in access) return who === "admin" ? "allowed" : "FORBIDDEN";
  const role = ROLE_IN_A[who];
  if (!role) return "runs" in access && access.code === "BAD_REQUEST" ? "BAD_REQUEST" : "NOT_FOUND";
  return RANK[role] >= RANK[access.role] ? "allowed" : "FORBIDDEN";
}

describe("authorization of every procedure", () => {
  it("declares what its input names and the role it needs, and only the known few are public", () => {
    const undeclared = Object.keys(procedures).filter((path) => !procedures[path]._def.meta?.access);
    expect(undeclared).toEqual([]);
    const open = Object.keys(procedures).filter((path) => "public" in procedures[path]._def.meta!.access!);
    expect(open.sort()).toEqual([...PUBLIC].sort());
  });

  it("needs at least editor for every mutation but the account-level few, and the pinned roles", () => {
    const weak = Object.keys(procedures).filter((path) => {
      const access = procedures[path]._def.meta!.access!;
      return procedures[path]._def.type === "mutation" && !MUTATIONS_BELOW_EDITOR.includes(path) && !("instanceAdmin" in access) && !("role" in access && access.role !== "viewer");
    });
    expect(weak).toEqual([]);
    expect(Object.fromEntries(Object.keys(PINNED).map((path) => [path, declared(procedures[path]._def.meta!.access!)]))).toEqual(PINNED);
  });

  const paths = Object.keys(procedures).sort();
  it.each(paths)("%s: allowed / 401 / 403 / 404 by role", async (path) => {
    const access = procedures[path]._def.meta!.access!;
    const outcomes: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    for (const who of WHO) {
      let outcome = "allowed";
      try {
        await callAs(who)(path, inputFor(access));
      } catch (error) {
        const { code } = await failure(Promise.reject(error));
        // Past authorization, a partial input fails validation: that counts as allowed.
        outcome = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(code) || (code === "BAD_REQUEST" && expected(access, who) === "BAD_REQUEST") ? code : "allowed";
      }
      outcomes[who] = outcome;
      wanted[who] = expected(access, who);
      // Session procedures may end the caller's session; sign in again for the next check.
      if (path.startsWith("session.")) await signIn(who);
    }
    expect(outcomes).toEqual(wanted);
  });
});

describe("isolation", () => {
  it("lists only readable projects, without run counts of the others", async () => {
    const slugs = async (who: Who, path: string) => ((await callAs(who)(path)) as Array<{ slug: string }>).map((p) => p.slug).sort();
    expect(await slugs("outsider", "project.list")).toEqual(["b"]);
    expect(await slugs("outsider", "analysis.projectActivity")).toEqual(["b"]);
    expect(await slugs("viewer", "project.list")).toEqual(["a"]);
    expect(await slugs("admin", "project.list")).toEqual(["a", "b"]);
    const me = await callAs("viewer")("session.me");
    expect(me).toMatchObject({ user: { username: "viewer", isAdmin: false }, roles: { a: "viewer" } });
  });

  it("answers a run or project of another project exactly like a missing one", async () => {
    const as = callAs("outsider");
    const foreign = await failure(as("run.get", { id: runA }));
    const missing = await failure(as("run.get", { id: "no-such-run" }));
    expect(foreign).toEqual({ ...missing, message: missing.message.replace("no-such-run", runA) });
    expect(await failure(as("metric.series", { runIds: ["run-in-b", runA], keys: ["loss"] }))).toEqual({
      ...(await failure(as("metric.series", { runIds: ["run-in-b", "nope"], keys: ["loss"] }))),
      message: `runIds[1]: run '${runA}' not found`,
    });
    const project = await failure(as("run.list", { project: "a" }));
    expect(project).toEqual({ ...(await failure(as("run.list", { project: "zz" }))), message: "project: project 'a' not found" });
    expect(JSON.stringify(await as("analysis.projectActivity"))).not.toContain("secret run");
  });

  it("an API key acts within its project and its user's role, and an admin-scoped key mints keys for the user's other projects", async () => {
    const editorKey = (await callAs("editor")("key.create", { project: "a", name: "sdk", scopes: ["write"] })) as { secret: string };
    expect(await failure(callAs("editor")("key.create", { project: "a", name: "wide", scopes: ["admin"] }))).toMatchObject({ code: "FORBIDDEN", field: "scopes" });
    const withKey = makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${editorKey.secret}` } });
    expect(await withKey("run.create", { project: "a", id: "by-editor-key" })).toMatchObject({ id: "by-editor-key" });
    expect(await failure(withKey("project.setMember", { project: "a", username: "viewer", role: "owner" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(withKey("run.list", { project: "b" }))).toMatchObject({ code: "NOT_FOUND" });

    const ownerAdminKey = (await callAs("outsider")("key.create", { project: "b", name: "cli", scopes: ["admin"] })) as { secret: string };
    const cli = makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${ownerAdminKey.secret}` } });
    await cli("project.create", { slug: "c", name: "C" });
    expect(await failure(cli("run.list", { project: "c" }))).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("this API key is for project 'b'") });
    const forC = (await cli("key.create", { project: "c", name: "c writer", scopes: ["write"] })) as { projectSlug: string; secret: string };
    expect(forC.projectSlug).toBe("c");
    expect(await failure(cli("key.create", { project: "a", name: "sneak", scopes: ["read"] }))).toMatchObject({ code: "NOT_FOUND" });
    const cKey = makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${forC.secret}` } });
    expect(await cKey("run.create", { project: "c", id: "in-c" })).toMatchObject({ id: "in-c" });
  });

  it("run ids are unique per project: each key logs its own 'shared' run; a user reading both must name the project", async () => {
    const keyOf = async (who: Who, project: string) => {
      const { secret } = (await callAs(who)("key.create", { project, name: `${project} sdk`, scopes: ["write"] })) as { secret: string };
      return makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${secret}` } });
    };
    const sdk = { a: await keyOf("owner", "a"), b: await keyOf("outsider", "b") };
    for (const [side, as] of Object.entries(sdk)) {
      expect(await as("run.create", { project: side, id: "shared", config: { side } })).toMatchObject({ id: "shared", config: { side } });
      expect(await as("run.create", { project: side, id: "shared", config: { side } })).toMatchObject({ id: "shared" }); // idempotent within the project
      await as("metric.logBatch", { runId: "shared", points: [{ key: "loss", step: 0, value: side === "a" ? 1 : 2 }] });
      await as("artifact.log", { runId: "shared", name: "model", kind: "checkpoint", uri: `file:///${side}` });
      await as("run.create", { project: side, id: `child-of-shared-${side}`, parentRunId: "shared" });
      await as("run.update", { id: "shared", notes: `notes of ${side}` });
    }
    // A changed immutable field is still a CONFLICT, about this project's own run only.
    expect(await failure(sdk.a("run.create", { project: "a", id: "shared", config: { side: "b" } }))).toMatchObject({ code: "CONFLICT", field: "config.side" });
    for (const [side, as] of Object.entries(sdk)) {
      const other = side === "a" ? "b" : "a";
      expect(await as("run.get", { id: "shared" })).toMatchObject({ config: { side }, notes: `notes of ${side}` });
      const { series } = await as("metric.series", { runIds: ["shared"], keys: ["loss"] });
      expect(series[0].value).toEqual([side === "a" ? 1 : 2]);
      expect(((await as("artifact.list", { runId: "shared" })) as { uri: string }[]).map((x) => x.uri)).toEqual([`file:///${side}`]);
      const children = await as("run.list", { project: side, filter: { parentRunId: "shared" } });
      expect(children.items.map((r: { id: string }) => r.id)).toEqual([`child-of-shared-${side}`]);
      // A key cannot reach the other project's run by naming that project.
      expect(await failure(as("run.get", { id: "shared", project: other }))).toMatchObject({ code: "NOT_FOUND", field: "project" });
      expect(await failure(as("run.get", { id: `child-of-shared-${other}` }))).toEqual(await failure(as("run.get", { id: "never-created" })).then((f) => ({ ...f, message: f.message.replace("never-created", `child-of-shared-${other}`) })));
    }

    // A user who reads both projects: a bare id held by both is a 400 asking for the project; naming it picks the run.
    const both = await createUser(db, { username: "reads-both", password, isAdmin: false });
    const [a, b] = await Promise.all(["a", "b"].map((slug) => db.prisma.project.findUniqueOrThrow({ where: { slug } })));
    await setMember(db, a.id, both.username, "viewer");
    await setMember(db, b.id, both.username, "editor");
    const session = await createSession(db, { username: both.username, password });
    const user = makeCall("http", { db, url: server.url, headers: { cookie: `finetrack_session=${session.secret}` } });
    for (const as of [user, callAs("admin")]) {
      const ambiguous = await failure(as("run.get", { id: "shared" }));
      expect(ambiguous).toEqual({ code: "BAD_REQUEST", field: "id", message: "id: run id 'shared' exists in more than one project you can read; name the project with 'project' (its slug)" });
      expect(await failure(as("metric.series", { runIds: ["run-in-b", "shared"], keys: ["loss"] }))).toMatchObject({ code: "BAD_REQUEST", field: "runIds[1]" });
      expect(await as("run.get", { id: "shared", project: "a" })).toMatchObject({ config: { side: "a" } });
      expect(await as("run.get", { id: "shared", project: "b" })).toMatchObject({ config: { side: "b" } });
      expect((await as("metric.series", { project: "b", runIds: ["shared"], keys: ["loss"] })).series[0].value).toEqual([2]);
      expect((await as("artifact.list", { project: "a", runId: "shared" })).map((x: { uri: string }) => x.uri)).toEqual(["file:///a"]);
    }
    // The role is the named project's: a viewer in a cannot write a's run, an editor in b can write b's.
    expect(await failure(user("run.update", { id: "shared", project: "a", notes: "x" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await user("run.update", { id: "shared", project: "b", notes: "edited" })).toMatchObject({ notes: "edited", config: { side: "b" } });
    expect(await sdk.a("run.get", { id: "shared" })).toMatchObject({ notes: "notes of a" });
    // Without a role in b, naming it answers like a project that does not exist, and the bare id finds a's run only.
    const viewer = callAs("viewer");
    expect(await failure(viewer("run.get", { id: "shared", project: "b" }))).toEqual({ ...(await failure(viewer("run.get", { id: "shared", project: "zz" }))), message: "project: project 'b' not found" });
    expect(await viewer("run.get", { id: "shared" })).toMatchObject({ config: { side: "a" } });
    expect(await failure(viewer("run.get", { id: "child-of-shared-b" }))).toEqual({ ...(await failure(viewer("run.get", { id: "no-such-run" }))), message: "id: run 'child-of-shared-b' not found" });
  });

  it("sets a Secure cookie only behind HTTPS, and rotates nothing on sign-in reuse", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/session.signIn`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ json: { username: "viewer", password } }) });
    const plain = (await post({})).headers.get("set-cookie")!;
    expect(plain).toMatch(/HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const proxied = (await post({ "x-forwarded-proto": "https" })).headers.get("set-cookie")!;
    expect(proxied).toMatch(/; Secure$/);
    expect(proxied.split(";")[0]).not.toBe(plain.split(";")[0]);
    expect((await post({})).status).toBe(200);
    const wrong = await fetch(`${server.url}/session.signIn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { username: "viewer", password: "wrong-password" } }) });
    expect(wrong.status).toBe(401);
  });
});
