import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { webDir } from "./stack";

const baseUrl = inject("baseUrl");
const auth = { authorization: `Bearer ${inject("apiKey")}`, "content-type": "application/json" };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ baseURL: baseUrl, viewport: { width: 1300, height: 900 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("REST API through Next", () => {
  it("serves /api/v1 with the same handler as the standalone server (plain JSON, NaN as a string)", async () => {
    const id = `next-rest-${Date.now()}`;
    const created = await fetch(`${baseUrl}/api/v1/runs`, { method: "POST", headers: auth, body: JSON.stringify({ project: inject("project"), id, name: "from curl" }) });
    expect(created.status).toBe(200);
    const points = [{ key: "loss", step: 0, value: 1.5 }, { key: "loss", step: 1, value: "NaN" }];
    const logged = await fetch(`${baseUrl}/api/v1/runs/${id}/points`, { method: "POST", headers: auth, body: JSON.stringify({ points }) });
    expect(await logged.json()).toEqual({ inserted: 2, duplicates: 0 });
    const series = await (await fetch(`${baseUrl}/api/v1/runs/${id}/series?keys=loss`, { headers: auth })).json();
    expect(series.series[0].value).toEqual([1.5, "NaN"]);
    const bad = await fetch(`${baseUrl}/api/v1/runs/${id}/points`, { method: "POST", headers: auth, body: "{" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/request body is not valid JSON/);
    expect((await fetch(`${baseUrl}/api/v1/nothing-here`, { headers: auth })).status).toBe(404);
  });

  it("lists every endpoint of /api/openapi.json on the API page, reached from the top bar", async () => {
    const doc = await (await fetch(`${baseUrl}/api/openapi.json`)).json();
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThan(15);
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
    await page.waitForURL("**/docs/api");
    const shown = await page.locator('[data-testid="endpoint"]').evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    expect(shown.sort()).toEqual(operations.sort());
    const points = page.getByRole("region", { name: "POST /api/v1/runs/{id}/points", exact: true });
    await expect.poll(() => points.getByRole("table", { name: "body" }).innerText()).toContain("points");
    expect(await points.getByRole("table", { name: "MetricPoint" }).innerText()).toMatch(/value[\s\S]*number \| "NaN" \| "Infinity" \| "-Infinity"/);
    expect(await points.locator("pre").innerText()).toContain('"value":"NaN"');
    expect(await points.innerText()).toContain("metric.logBatch");
    expect(await page.getByTestId("api-docs").innerText()).toContain('"NaN", "Infinity" and "-Infinity"');
    mkdirSync(path.join(webDir, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(webDir, "test-results", "api-docs.png") });
    await points.screenshot({ path: path.join(webDir, "test-results", "api-docs-points.png") });
  });
});
