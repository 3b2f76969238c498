import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectDb, type Db } from "@finetrack/db";
import { createApiClient, init, type ApiClient } from "@finetrack/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { startRun } from "./seed";
import { startStack, webDir } from "./stack";

/** A team on one server: the admin makes a project and its first key, a run is logged with it, a viewer sees it and cannot edit it. */
const shots = path.join(webDir, "test-results");
const baseUrl = inject("baseUrl");
const PROJECT = "team-nlp";
/** Created on the users page; its one-time password is read from there. */
const VIEWER = { username: "vic", password: "" };

let browser: Browser;
let db: Db;
let admin: ApiClient;
let adminPage: Page;
let firstKey = "";
let runId = "";

async function signedInPage(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept());
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/");
  return { context, page };
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  db = connectDb(inject("databaseUrl"));
  admin = createApiClient({ url: baseUrl, apiKey: inject("apiKey") });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await db?.close();
});

describe("teams", () => {
  it("signs the admin in with a password: an HttpOnly, SameSite=Lax session cookie", async () => {
    ({ page: adminPage } = await signedInPage(inject("adminUsername"), inject("adminPassword")));
    const cookie = (await adminPage.context().cookies()).find((c) => c.name === "finetrack_session")!;
    expect([cookie.httpOnly, cookie.sameSite, cookie.secure]).toEqual([true, "Lax", false]);
    await expect.poll(() => adminPage.getByTestId("viewer").textContent()).toBe(`Signed in · ${inject("adminUsername")}`);
  });

  it("creates a user on the users page, with a one-time password", async () => {
    await adminPage.getByRole("link", { name: "Users" }).click();
    await adminPage.getByLabel("New username").fill(VIEWER.username);
    await adminPage.getByRole("button", { name: "Create user" }).click();
    const notice = (await adminPage.getByTestId("one-time-password").locator("code").textContent())!;
    expect(notice).toMatch(/^[A-Za-z0-9]{20}$/);
    VIEWER.password = notice;
    await adminPage.locator(`[data-user="${VIEWER.username}"]`).waitFor();
    await adminPage.screenshot({ path: path.join(shots, "teams-users.png"), fullPage: true });
    await adminPage.goto("/");
  });

  it("creates a project, offers its first key with snippets, and that key logs a run with the SDK", async () => {
    await adminPage.getByLabel("Project slug").fill(PROJECT);
    await adminPage.getByLabel("Project name").fill("Team NLP");
    await adminPage.getByRole("button", { name: "Create", exact: true }).click();
    await adminPage.getByRole("button", { name: "Create its first API key" }).click();
    firstKey = (await adminPage.getByTestId("secret").textContent())!;
    expect(firstKey).toMatch(/^ft_/);
    const snippets = await adminPage.getByTestId("snippet").allTextContents();
    expect(snippets.join("\n")).toContain(`FINETRACK_API_KEY=${firstKey}`);
    expect(snippets.join("\n")).toContain(`finetrack.init(project="${PROJECT}")`);
    expect(snippets.join("\n")).toContain(`MLFLOW_TRACKING_TOKEN=${firstKey}`);
    expect(snippets.join("\n")).toContain(`MLFLOW_TRACKING_URI=${baseUrl}`);
    await adminPage.screenshot({ path: path.join(shots, "teams-first-key.png"), fullPage: true });

    const run = await startRun({ baseUrl, apiKey: firstKey, project: PROJECT }, { name: "team-run", notes: "logged with the first key" });
    for (let step = 0; step < 20; step++) run.log({ "train/loss": 2 - step * 0.05 }, { step });
    await run.finish({ status: "finished" });
    runId = run.id;
    await adminPage.goto("/");
    const row = adminPage.locator(`[data-project="${PROJECT}"]`);
    await expect.poll(() => row.locator("td.num").first().textContent()).toBe("1");
    expect(await row.getByTestId("role").textContent()).toBe("owner");
    await adminPage.screenshot({ path: path.join(shots, "teams-projects.png"), fullPage: true });
  });

  it("adds a viewer on the members page and lists the project's keys", async () => {
    await adminPage.goto(`/p/${PROJECT}/members`);
    await adminPage.getByLabel("Username").fill(VIEWER.username);
    await adminPage.getByLabel("Role", { exact: true }).selectOption("viewer");
    await adminPage.getByRole("button", { name: "Add member" }).click();
    await adminPage.locator(`[data-member="${VIEWER.username}"]`).waitFor();
    expect(await adminPage.getByLabel(`Role of ${VIEWER.username}`).inputValue()).toBe("viewer");
    await adminPage.screenshot({ path: path.join(shots, "teams-members.png"), fullPage: true });
    await adminPage.goto(`/p/${PROJECT}/keys`);
    await adminPage.locator('[data-key-name="first key"]').waitFor();
    expect(await adminPage.getByTestId("my-role").textContent()).toBe("owner");
    await adminPage.screenshot({ path: path.join(shots, "teams-keys.png"), fullPage: true });
  });

  it("lets the viewer see the run, but not edit it, not see other projects, nor mint a wider key", async () => {
    const { context, page } = await signedInPage(VIEWER.username, VIEWER.password);
    await page.locator(`[data-project="${PROJECT}"]`).waitFor();
    expect(await page.locator("[data-project]").count()).toBe(1);
    expect(await page.locator(`[data-project="${PROJECT}"]`).getByTestId("role").textContent()).toBe("viewer");
    await page.goto(`/p/${PROJECT}`);
    await expect.poll(() => page.getByTestId("runs-table").getAttribute("data-row-count")).toBe("1");
    await page.goto(`/p/${PROJECT}/runs/${runId}`);
    await page.getByRole("button", { name: "Edit notes" }).click();
    await page.getByLabel("Notes").fill("a viewer's edit");
    await page.getByRole("button", { name: "Save notes" }).click();
    await expect.poll(() => page.locator(".state.error").textContent()).toContain("needs editor");
    // (The local admin key is bounded to 'default'; the project's own key reads the run back.)
    expect((await createApiClient({ url: baseUrl, apiKey: firstKey }).run.get.query({ id: runId })).notes).toBe("logged with the first key");
    await page.goto(`/p/${inject("project")}`);
    // A project the viewer has no role in answers like one that does not exist.
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain(`project '${inject("project")}' not found`);
    expect(await page.getByTestId("runs-table").count()).toBe(0);
    await page.goto(`/p/${PROJECT}/keys`);
    expect(await page.getByLabel("admin").isDisabled()).toBe(true);
    await page.getByLabel("Key name").fill("vic laptop");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByTestId("secret").waitFor();
    await page.goto("/account");
    await page.locator('[data-key-name="vic laptop"]').waitFor();
    expect(await page.getByTestId("sessions").locator("tbody tr").count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(shots, "teams-account.png"), fullPage: true });
    await context.close();
  });

  it("the same run id in two projects: each run page shows its URL's project's run, and notes save to that one", async () => {
    // Run ids are unique per project; the admin reads both projects, so the page must name the project.
    const second = "team-cv";
    await admin.project.create.mutate({ slug: second, name: "Team CV" });
    const keys = { [PROJECT]: firstKey, [second]: (await admin.key.create.mutate({ project: second, name: "cv sdk", scopes: ["write"] })).secret };
    for (const [project, apiKey] of Object.entries(keys)) {
      const run = await startRun({ baseUrl, apiKey, project }, { id: "same-id", name: `same-id of ${project}` });
      run.log({ "train/loss": project === PROJECT ? 1 : 2 }, { step: 1 });
      await run.finish();
    }
    for (const project of Object.keys(keys)) {
      await adminPage.goto(`/p/${project}/runs/same-id`);
      await expect.poll(() => adminPage.getByTestId("run-name").textContent()).toBe(`same-id of ${project}`);
    }
    await adminPage.getByRole("button", { name: "Edit notes" }).click();
    await adminPage.getByLabel("Notes").fill(`notes of ${second}'s run`);
    await adminPage.getByRole("button", { name: "Save notes" }).click();
    await expect.poll(() => adminPage.getByTestId("notes").textContent()).toBe(`notes of ${second}'s run`);
    const read = (apiKey: string) => createApiClient({ url: baseUrl, apiKey }).run.get.query({ id: "same-id" });
    expect((await read(keys[second])).notes).toBe(`notes of ${second}'s run`);
    expect((await read(firstKey)).notes).toBe("");
  });

  it("signs out: the cookie stops working", async () => {
    const { context, page } = await signedInPage(VIEWER.username, VIEWER.password);
    const cookie = (await context.cookies()).find((c) => c.name === "finetrack_session")!.value;
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL("**/sign-in");
    const me = await fetch(`${baseUrl}/api/trpc/session.me`, { headers: { cookie: `finetrack_session=${cookie}` } }).then((r) => r.json());
    expect(me.result.data.json.via).toBe("none");
    await context.close();
  });

  it("signs out everywhere from the account page: another browser's session ends too", async () => {
    const laptop = await signedInPage(VIEWER.username, VIEWER.password);
    const desktop = await signedInPage(VIEWER.username, VIEWER.password);
    await laptop.page.goto("/account");
    await expect.poll(() => laptop.page.getByTestId("sessions").locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
    await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await laptop.page.waitForURL("**/sign-in");
    await desktop.page.goto(`/p/${PROJECT}`);
    await desktop.page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/p/${PROJECT}`);
    await laptop.context.close();
    await desktop.context.close();
  });

  it("stops a disabled user's session and keys at once", async () => {
    const { context, page } = await signedInPage(VIEWER.username, VIEWER.password);
    const vicKey = await (await viewerClient()).key.create.mutate({ project: PROJECT, name: "vic ci", scopes: ["read"] });
    await admin.user.setDisabled.mutate({ username: VIEWER.username, disabled: true });
    await page.goto(`/p/${PROJECT}`);
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/p/${PROJECT}`);
    await expect(createApiClient({ url: baseUrl, apiKey: vicKey.secret }).project.list.query()).rejects.toThrow(/disabled/);
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(VIEWER.username);
    await page.getByLabel("Password").fill(VIEWER.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => signInError(page).textContent()).toContain("disabled");
    await admin.user.setDisabled.mutate({ username: VIEWER.username, disabled: false });
    await context.close();
  });

  it("refuses an expired key, in the browser and in the SDK", async () => {
    const key = await admin.key.create.mutate({ project: PROJECT, name: "short-lived", scopes: ["write"], expiresAt: new Date(Date.now() + 3_600_000) });
    await db.pool.query(`UPDATE "ApiKey" SET "expiresAt" = now() - interval '1 minute' WHERE "id" = $1`, [key.id]);
    await expect(init({ project: PROJECT, url: baseUrl, apiKey: key.secret, quiet: true, home: mkdtempSync(path.join(tmpdir(), "ft-teams-")) })).rejects.toThrow(/expired/);
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("API key").fill(key.secret);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => signInError(page).textContent()).toContain("expired");
    await context.close();
  });
});

describe("FINETRACK_AUTH=off", () => {
  it("shows a banner on every page while authentication is off", async () => {
    const open = await startStack({ env: { FINETRACK_AUTH: "off" } });
    try {
      const context = await browser.newContext({ baseURL: open.baseUrl });
      const page = await context.newPage();
      await page.goto("/");
      await expect.poll(() => page.getByTestId("auth-off-banner").textContent()).toContain("Authentication is off");
      await page.goto(`/p/${open.project}/keys`);
      await page.getByTestId("auth-off-banner").waitFor();
      await context.close();
    } finally {
      await open.stop();
    }
  });

  it("is not shown with authentication on", async () => {
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Username").waitFor();
    await expect.poll(() => page.getByTestId("viewer").textContent()).toBe("Sign in");
    expect(await page.getByTestId("auth-off-banner").count()).toBe(0);
    await context.close();
  });
});

const signInError = (page: Page) => page.locator('form[aria-label="Sign in"] [role="alert"]');

/** The viewer over the API with a password session, as the CLI's `--user` does. */
async function viewerClient(): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/trpc/session.signIn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: VIEWER }) });
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const { createTRPCClient, httpLink } = await import("@trpc/client");
  const { wireTransformer } = await import("@finetrack/contracts");
  return createTRPCClient({ links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: wireTransformer, headers: { cookie } })] }) as ApiClient;
}
