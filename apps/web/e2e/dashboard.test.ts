import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { healthyCurve, logRun, overfitCurve, startRun, type SeedTarget } from "./seed";
import { webDir } from "./stack";

const shots = path.join(webDir, "test-results");
const target: SeedTarget = { baseUrl: inject("baseUrl"), apiKey: inject("apiKey"), project: inject("project") };
const XSS_NAME = "<img src=x onerror=alert(1)>";

let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const ids: Record<string, string> = {};
/** Planted effect sizes: the base model moves val loss by 1.0, the method by 0.08, lr by noise. */
const floors: Record<string, number> = {};

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const seeds = [];
  for (const [b, baseModel] of ["tiny-a", "tiny-b"].entries()) {
    for (const [m, method] of ["lora", "full"].entries()) {
      for (let seed = 0; seed < 3; seed++) {
        const name = `sweep-${baseModel}-${method}-${seed}`;
        const floor = 0.4 + b * 1.0 + m * 0.08 + ((seed * 37) % 5) * 0.01;
        floors[name] = floor;
        const lr = [1e-4, 3e-4, 1e-3][(seed + b) % 3];
        seeds.push(
          logRun(target, { name, group: "sweep", baseModel, method, seed, tags: ["sweep"], config: { lr, lora_rank: 8, epochs: 3 }, dataset: { name: "toy", version: "v1", trainSize: 400 } }, 60, (s) => healthyCurve(s, floor, seed)).then((id) => (ids[name] = id)),
        );
      }
    }
  }
  seeds.push(
    logRun(target, { name: "overfit-run", baseModel: "tiny-a", method: "full", config: { lr: 0.01, dropout: 0, num_train_epochs: 6 }, dataset: { name: "toy", version: "v1", trainSize: 64 } }, 300, (s) => overfitCurve(s, 100)).then((id) => (ids.overfit = id)),
    logRun(target, { name: XSS_NAME, notes: "<script>alert(2)</script>", tags: ["<b>bold</b>"], config: { note: "<svg onload=alert(3)>" } }, 20, (s) => healthyCurve(s, 1, 0)).then((id) => (ids.xss = id)),
  );
  await Promise.all(seeds);
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("dashboard", () => {
  it("asks to sign in, then signs in with the admin key", async () => {
    await page.goto(`/p/${target.project}`);
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/p/${target.project}`);
    await page.goto("/sign-in");
    await page.getByLabel("API key").fill(target.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`**/p/${target.project}`);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "finetrack_session")?.httpOnly).toBe(true);
  });

  it("shows every run in the table with its values", async () => {
    await page.goto(`/p/${target.project}`);
    const table = page.getByTestId("runs-table");
    await table.waitFor();
    expect(await table.getAttribute("data-row-count")).toBe("14");
    const name = "sweep-tiny-b-full-1";
    const row = page.locator(`[data-run-id="${ids[name]}"]`);
    await expect.poll(() => row.locator('[data-column="baseModel"]').textContent()).toBe("tiny-b");
    expect(await row.locator('[data-column="method"]').textContent()).toBe("full");
    expect(await row.locator('[data-column="dataset"]').textContent()).toBe("toy@v1");
    const shown = Number(await row.locator('[data-column="metrics.val/loss.min"]').textContent());
    const min = Math.min(...Array.from({ length: 13 }, (_, k) => healthyCurve(k * 5, floors[name], 1).val));
    expect(shown).toBeCloseTo(min, 4);
    await shot("runs-table");
  });

  it("filters, sorts and groups, and the URL reproduces the view", async () => {
    await page.goto(`/p/${target.project}`);
    await page.getByTestId("runs-table").waitFor();
    await page.getByRole("button", { name: "+ Filter" }).click();
    await page.getByLabel("Filter field").selectOption("baseModel");
    await page.getByLabel("Filter value").fill("tiny-a");
    await page.getByRole("button", { name: "Apply" }).click();
    const table = page.getByTestId("runs-table");
    await expect.poll(() => table.getAttribute("data-row-count")).toBe("7");
    await page.locator('button[data-column="metrics.val/loss.min"]').click();
    await page.getByLabel("Group by").selectOption("method");
    await expect.poll(() => page.getByTestId("group-row").count()).toBe(2);
    expect(await page.getByTestId("group-row").first().textContent()).toMatch(/method: (lora|full) \(N=\d\)/i);
    await shot("runs-grouped");
    const url = page.url();
    expect(url).toContain("filter=");
    expect(url).toContain("sort=metrics.val");
    expect(url).toContain("group=method");

    const other = await context.newPage();
    await other.goto(url);
    await other.getByTestId("runs-table").waitFor();
    await expect.poll(() => other.getByTestId("runs-table").getAttribute("data-row-count")).toBe("7");
    expect(await other.getByTestId("filter-chip").textContent()).toContain("tiny-a");
    expect(await other.getByTestId("group-row").count()).toBe(2);
    await other.getByLabel("Group by").selectOption("");
    // Ascending by val loss minimum: the best tiny-a lora run comes first.
    const first = await other.locator("[data-run-id]").first().getAttribute("data-run-id");
    const best = Object.keys(floors).filter((n) => n.startsWith("sweep-tiny-a-lora")).sort((a, b) => floors[a] - floors[b])[0];
    expect(first).toBe(ids[best]);
    await other.close();
  });

  it("fetches a column picked in the column picker, and the config key grouped by", async () => {
    await page.goto(`/p/${target.project}`);
    const table = page.getByTestId("runs-table");
    await table.waitFor();
    // The table asks only for what it shows: the last train loss is not among the defaults.
    expect(await table.locator('.rt-head button[data-column="metrics.train/loss.last"]').count()).toBe(0);
    await page.getByRole("button", { name: /^Columns/ }).click();
    await page.getByLabel("Find a column").fill("train/loss.last");
    const asked = page.waitForRequest((r) => r.url().includes("analysis.runRows") && decodeURIComponent(r.url()).includes("metrics.train/loss.last"));
    await page.getByRole("dialog", { name: "Choose columns" }).getByRole("checkbox").first().check();
    await asked;
    const name = "sweep-tiny-b-full-1";
    const cell = page.locator(`[data-run-id="${ids[name]}"] [data-column="metrics.train/loss.last"]`);
    await expect.poll(async () => Number((await cell.textContent()) || NaN)).toBeCloseTo(healthyCurve(60, floors[name], 1).train, 3);
    await page.keyboard.press("Escape");
    // Grouping by a config key the table does not show reads that key too.
    await page.getByLabel("Group by").selectOption("config.lora_rank");
    await expect.poll(() => page.getByTestId("group-row").count()).toBe(2);
    expect(await page.getByTestId("group-row").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/lora_rank: 8 \(N=12\)/)]));
  });

  it("shows train and validation curves and diagnoses the overfit run", async () => {
    await page.goto(`/p/${target.project}/runs/${ids.overfit}`);
    const verdict = page.getByTestId("verdict");
    await verdict.waitFor();
    expect(await verdict.getAttribute("data-verdict")).toBe("overfitting");
    const chart = page.locator('[data-metric="loss"] [data-testid="line-chart"]');
    await expect.poll(() => chart.getAttribute("data-lines")).toBe("2");
    expect(await page.locator('[data-metric="loss"] canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId("what-if").textContent()).toMatch(/patience/);
    await shot("run-page");
  });

  it("compares runs and lists only the config keys that differ", async () => {
    const a = ids["sweep-tiny-a-lora-0"];
    const b = ids["sweep-tiny-a-lora-1"];
    await page.goto(`/p/${target.project}/compare?runs=${a},${b}`);
    const diff = page.getByTestId("config-diff").first();
    await diff.locator("tbody tr").first().waitFor();
    const keys = await diff.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
    expect(keys).toEqual(["lr"]);
    await diff.getByLabel("Show all keys").check();
    expect(await diff.locator("tbody tr").count()).toBeGreaterThan(3);
    await expect.poll(() => page.locator('[data-testid="line-chart"]').first().getAttribute("data-lines")).toBe("4");
    await shot("compare");
  });

  it("updates a running run without a reload", async () => {
    const run = await startRun(target, { name: "live-run", baseModel: "tiny-a" });
    for (let step = 0; step < 10; step++) run.log({ "train/loss": 2 - step * 0.1 }, { step });
    await page.goto(`/p/${target.project}/runs/${run.id}`);
    const chart = page.locator('[data-testid="line-chart"]').first();
    await expect.poll(() => chart.getAttribute("data-points"), { timeout: 10_000 }).toBe("10");
    expect(await page.getByTestId("run-view").getAttribute("data-status")).toBe("running");
    for (let step = 10; step < 25; step++) run.log({ "train/loss": 2 - step * 0.05 }, { step });
    await expect.poll(() => chart.getAttribute("data-points"), { timeout: 10_000 }).toBe("25");
    await run.finish({ status: "finished" });
    await expect.poll(() => page.getByTestId("run-view").getAttribute("data-status"), { timeout: 10_000 }).toBe("finished");
  });

  it("renders user-written markup as text", async () => {
    await page.goto(`/p/${target.project}/runs/${ids.xss}`);
    await page.getByTestId("run-name").waitFor();
    expect(await page.getByTestId("run-name").textContent()).toBe(XSS_NAME);
    expect(await page.getByTestId("notes").textContent()).toBe("<script>alert(2)</script>");
    expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
    await page.goto(`/p/${target.project}`);
    await page.locator(`[data-run-id="${ids.xss}"]`).waitFor();
    expect(await page.locator(`[data-run-id="${ids.xss}"] [data-column="name"]`).textContent()).toBe(XSS_NAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("ranks the planted dominant factor first in factor impact", async () => {
    await page.goto(`/p/${target.project}/impact?filter=${encodeURIComponent(JSON.stringify({ group: ["sweep"] }))}`);
    const first = page.getByTestId("importance-row").first();
    await first.waitFor({ timeout: 60_000 });
    expect(await first.getAttribute("data-factor")).toBe("baseModel");
    expect(await page.getByTestId("family-answer").textContent()).toMatch(/Base model matters most/);
    await page.locator("canvas").first().waitFor();
    await shot("factor-impact");
  });

  it("draws the ablation matrix and the dark theme", async () => {
    await page.goto(`/p/${target.project}/ablation?filter=${encodeURIComponent(JSON.stringify({ group: ["sweep"] }))}`);
    const grid = page.getByTestId("ablation-grid");
    await grid.waitFor();
    const cell = await grid.locator('[data-cell="tiny-b|full"]').textContent();
    expect(cell).toMatch(/\(N=3\)/);
    await shot("ablation");
    await page.getByRole("button", { name: /Switch to dark theme/ }).click();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await page.goto(`/p/${target.project}/runs/${ids.overfit}`);
    await page.getByTestId("verdict").waitFor();
    await shot("run-page-dark");
  });
});
