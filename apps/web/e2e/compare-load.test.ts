// What the compare page asks the server for while it loads (issue 14, speed): its own data, the
// curves before the seed comparison, and no prefetch of the top bar's pages until a link is
// hovered (the bench, bench/dashboard.ts, measured both in front of the series request); and a
// new chart drawn once, not twice.
import { wireTransformer } from "@finetrack/contracts";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { healthyCurve, logRun, type SeedTarget } from "./seed";
import { createProjectWithKey } from "./seed-project";

const target: SeedTarget = { baseUrl: inject("baseUrl"), apiKey: "", project: "compare-load" };
const ids: string[] = [];
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const requests: Request[] = [];

beforeAll(async () => {
  target.apiKey = await createProjectWithKey(target.baseUrl, inject("apiKey"), target.project);
  for (let i = 0; i < 3; i++) ids.push(await logRun(target, { name: `load-${i}`, baseModel: "tiny", method: "lora", config: { learning_rate: 1e-4 * (i + 1) } }, 30, (s) => healthyCurve(s, 0.5 + i / 10, i)));
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
  const signIn = await context.request.post("/api/trpc/session.signIn", { data: wireTransformer.serialize({ apiKey: target.apiKey }) });
  expect(signIn.ok()).toBe(true);
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("request", (r) => requests.push(r));
});

afterAll(async () => {
  await browser?.close();
});

/** Loads the compare page and waits until the curves are drawn and the seed comparison answered. */
async function loadCompare() {
  requests.length = 0;
  await page.goto(`/p/${target.project}/compare?runs=${ids.join(",")}`);
  await page.waitForFunction(() => {
    const chart = document.querySelector<HTMLElement>('[data-testid="line-chart"]');
    return chart !== null && Number(chart.dataset.drawn ?? 0) > 0;
  });
  await page.getByTestId("seed-verdict").waitFor();
}

describe("compare page load", () => {
  it("asks for the seed comparison only once the curves are in", async () => {
    // Hold the series response: with the runs' rows (and so the comparison's targets) in, the
    // seed comparison still waits; it goes out once the curves arrive.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/trpc/metric.series?**", async (route) => {
      await held;
      await route.continue();
    });
    const asked = () => requests.map((r) => r.url()).filter((u) => u.includes("analysis.compareConfigs"));
    const seeds = page.getByRole("region", { name: "Seed-aware comparison" });
    try {
      requests.length = 0;
      await page.goto(`/p/${target.project}/compare?runs=${ids.join(",")}`);
      await page.getByRole("region", { name: "Config (keys that differ)" }).waitFor();
      await seeds.getByText("Loading the comparison").waitFor();
      // Two frames after the rows rendered: an enabled query would have been sent by now.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(asked()).toEqual([]);
    } finally {
      release();
    }
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="line-chart"]')?.dataset.drawn ?? 0) > 0);
    await seeds.getByTestId("seed-verdict").waitFor();
    expect(asked()).toHaveLength(1);
    await page.unroute("**/api/trpc/metric.series?**");
    expect(pageErrors).toEqual([]);
  });

  it("draws a new chart once, and again when a run is hidden from the legend", async () => {
    // Tall enough that no scrollbar comes and goes (a width change redraws, rightly).
    await page.setViewportSize({ width: 1400, height: 4000 });
    try {
      await loadCompare();
      const chart = page.getByTestId("line-chart");
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await chart.getAttribute("data-drawn")).toBe("1");
      const tooltip = async () => {
        await page.mouse.move(0, 0);
        await chart.locator(".u-over").hover();
        return (await page.locator(".chart-tooltip").innerText()).split("\n");
      };
      expect((await tooltip()).filter((row) => row.includes("load-0 · "))).toHaveLength(2);
      await page.getByRole("list", { name: "Legend" }).getByRole("button", { name: "load-0" }).click();
      await expect.poll(() => chart.getAttribute("data-drawn")).toBe("2");
      const rows = await tooltip();
      expect(rows.filter((row) => row.includes("load-0 · "))).toEqual([]);
      expect(rows.filter((row) => row.includes("load-1 · "))).toHaveLength(2);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  it("prefetches no top-bar page while loading, and one when its link is hovered", async () => {
    await loadCompare();
    const rsc = () => requests.filter((r) => new URL(r.url()).searchParams.has("_rsc")).map((r) => new URL(r.url()).pathname);
    expect(rsc()).toEqual([]);
    const prefetch = page.waitForRequest((r) => new URL(r.url()).pathname === `/p/${target.project}/ablation` && new URL(r.url()).searchParams.has("_rsc"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ablation" }).hover();
    await prefetch;
    // Following the link still works (from the prefetched page).
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ablation" }).click();
    await page.waitForURL((url) => url.pathname === `/p/${target.project}/ablation`);
    expect(pageErrors).toEqual([]);
  });
});
