// Issue 14's compare leftovers and the signed-out redirect: twelve runs side by side (one
// horizontal scroll, the key column pinned), differences counted without keys some runs lack,
// the line-style legend, list-of-object values as tables, and /p/... pages sending a signed-out
// browser to sign-in and back.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { healthyCurve, logRun, type SeedTarget } from "./seed";
import { createProjectWithKey } from "./seed-project";
import { webDir } from "./stack";

const shots = path.join(webDir, "test-results");
const target: SeedTarget = { baseUrl: inject("baseUrl"), apiKey: "", project: "compare-twelve" };
const RUNS = 12;
const ids: string[] = [];

let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function signIn(p: Page) {
  await p.getByLabel("API key").fill(target.apiKey);
  await p.getByRole("button", { name: "Sign in" }).click();
}

/** Config of run i: learning rate differs everywhere; warmup is set (equal) in half the runs; dropout differs where set; the last run's layers differ. */
function configOf(i: number) {
  return {
    finetuning_type: "lora",
    lora_rank: 8,
    learning_rate: 1e-4 * (i + 1),
    ...(i < 6 ? { warmup_ratio: 0.1, dropout: 0.1 } : i === 6 ? { dropout: 0.2 } : {}),
    layers: [
      { name: "q_proj", rank: 8 },
      { name: "v_proj", rank: i === RUNS - 1 ? 16 : 4 },
    ],
  };
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  target.apiKey = await createProjectWithKey(target.baseUrl, inject("apiKey"), target.project);
  for (let i = 0; i < RUNS; i++) {
    const name = `lora-tiny-arithmetic-lr-${(1e-4 * (i + 1)).toFixed(4)}-run-${String(i + 1).padStart(2, "0")}`;
    ids.push(await logRun(target, { name, baseModel: "tiny", method: "lora", config: configOf(i) }, 20, (s) => healthyCurve(s, 0.5 + i / 20, i)));
  }
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto("/sign-in");
  await signIn(page);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
});

afterAll(async () => {
  await browser?.close();
});

const compareUrl = () => `/p/${target.project}/compare?runs=${ids.join(",")}`;

/** What the browser lays out for one diff table: its scroll boxes, column edges, and the box's edges. */
async function layoutOf(section: Locator) {
  return section.evaluate((el) => {
    const scroller = el.querySelector<HTMLElement>("[data-testid=diff-scroll]")!;
    const scrollBoxes = [el, ...el.querySelectorAll<HTMLElement>("*")].filter((e) => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX) || ["auto", "scroll"].includes(getComputedStyle(e).overflowY));
    const ancestorsClipping: string[] = [];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") ancestorsClipping.push(a.className);
    const heads = [...scroller.querySelectorAll<HTMLElement>(":scope > table > thead > tr > th")];
    return {
      scrollBoxes: scrollBoxes.length,
      isTheScroller: scrollBoxes[0] === scroller,
      ancestorsClipping,
      scrollWidth: scroller.scrollWidth,
      clientWidth: scroller.clientWidth,
      runColumns: heads.slice(1).map((h) => ({ id: h.dataset.runId, right: h.offsetLeft + h.offsetWidth })),
    };
  });
}

async function scrollToEnd(section: Locator) {
  return section.evaluate((el) => {
    const scroller = el.querySelector<HTMLElement>("[data-testid=diff-scroll]")!;
    scroller.scrollLeft = scroller.scrollWidth;
    const box = scroller.getBoundingClientRect();
    const heads = [...scroller.querySelectorAll<HTMLElement>(":scope > table > thead > tr > th")].map((h) => h.getBoundingClientRect());
    const firstCell = scroller.querySelector<HTMLElement>("tbody td")!.getBoundingClientRect();
    return { boxLeft: box.left, boxRight: box.right, keyLeft: heads[0].left, keyCellLeft: firstCell.left, lastLeft: heads[heads.length - 1].left, lastRight: heads[heads.length - 1].right };
  });
}

describe("compare, first hour", () => {
  it("12 runs: config and summary tables each scroll once, horizontally, every run column reachable, the key column pinned", async () => {
    await page.goto(compareUrl());
    await page.getByRole("heading", { name: `Compare ${RUNS} runs` }).waitFor();
    for (const title of ["Config (keys that differ)", "Summaries"]) {
      const section = page.getByRole("region", { name: title });
      await section.locator("[data-testid=diff-scroll] > table > thead > tr > th").nth(RUNS).waitFor();
      const layout = await layoutOf(section);
      expect(layout.runColumns.map((c) => c.id)).toEqual(ids);
      expect(layout.scrollBoxes).toBe(1);
      expect(layout.isTheScroller).toBe(true);
      expect(layout.ancestorsClipping).toEqual([]);
      // Wider than the page: it scrolls, and the last run's column ends inside the scroll width.
      expect(layout.scrollWidth).toBeGreaterThan(layout.clientWidth);
      for (const c of layout.runColumns) expect(c.right).toBeLessThanOrEqual(layout.scrollWidth);
      const end = await scrollToEnd(section);
      expect(end.lastRight).toBeLessThanOrEqual(end.boxRight + 1);
      expect(end.lastLeft).toBeGreaterThanOrEqual(end.boxLeft);
      expect(Math.abs(end.keyLeft - end.boxLeft)).toBeLessThanOrEqual(1);
      expect(Math.abs(end.keyCellLeft - end.boxLeft)).toBeLessThanOrEqual(1);
    }
    for (const s of await page.getByTestId("diff-scroll").all()) await s.evaluate((el) => (el.scrollLeft = 0));
    await page.getByTestId("metric-charts").waitFor();
    await page.screenshot({ path: path.join(shots, "compare-12-runs.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("counts real differences: a key only some runs have is missing there, not a difference", async () => {
    await page.goto(compareUrl());
    const config = page.getByRole("region", { name: "Config (keys that differ)" });
    const count = config.getByTestId("diff-count");
    await config.locator('tr[data-key="learning_rate"]').waitFor();
    // learning_rate, dropout (0.1 vs 0.2 where set) and layers differ; warmup_ratio is 0.1 wherever it is set.
    const text = (await count.textContent())!;
    const m = /^3 of (\d+) keys differ, 1 more only missing in some runs$/.exec(text);
    expect(m, text).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(4);
    const shownKeys = await config.locator("tbody > tr[data-key]").evaluateAll((rs) => rs.map((r) => r.getAttribute("data-key")));
    expect(shownKeys).toEqual(["dropout", "layers", "learning_rate"]);
    const dropout = await config.locator('tr[data-key="dropout"] > td').allTextContents();
    expect(dropout.slice(1, 8)).toEqual(["0.1", "0.1", "0.1", "0.1", "0.1", "0.1", "0.2"]);
    expect(dropout.slice(8)).toEqual(["missing", "missing", "missing", "missing", "missing"]);
    await config.getByLabel("Show all keys").check();
    const warmup = await config.locator('tr[data-key="warmup_ratio"] > td').allTextContents();
    expect(warmup.slice(1)).toEqual([...Array(6).fill("0.1"), ...Array(6).fill("missing")]);
    expect(await config.locator('tr[data-key="lora_rank"] > td').allTextContents()).toEqual(["lora_rank", ...Array(RUNS).fill("8")]);
  });

  it("says which line is train and which is validation", async () => {
    await page.goto(compareUrl());
    const legend = page.getByTestId("line-styles");
    await legend.waitFor();
    expect(await legend.textContent()).toMatch(/solid line is train, a dashed line is validation/);
  });

  it("a list of objects (layers) reads as a small table, not JSON text", async () => {
    await page.goto(compareUrl());
    const cells = page.getByRole("region", { name: "Config (keys that differ)" }).locator('tr[data-key="layers"] > td');
    await cells.nth(RUNS).waitFor();
    const first = cells.nth(1).getByRole("table", { name: "layers" });
    expect(await first.locator("thead th").allTextContents()).toEqual(["name", "rank"]);
    expect(await first.locator("tbody tr").evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)))).toEqual([
      ["q_proj", "8"],
      ["v_proj", "4"],
    ]);
    expect(await cells.nth(RUNS).locator("tbody tr").nth(1).locator("td").nth(1).textContent()).toBe("16");
    for (const t of await cells.allTextContents()) expect(t).not.toMatch(/[[{]"/);
  });

  it("signed out: /p/... pages go to sign-in with the way back, and come back after signing in", async () => {
    const anon = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
    const p = await anon.newPage();
    await p.goto(`/p/${target.project}`);
    await p.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(p.url()).searchParams.get("next")).toBe(`/p/${target.project}`);
    expect(await p.getByRole("button", { name: /^Columns/ }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "New project" }).count()).toBe(0);

    await p.goto(compareUrl());
    await p.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(p.url()).searchParams.get("next")).toBe(compareUrl());
    await signIn(p);
    await p.waitForURL((url) => url.pathname === `/p/${target.project}/compare`);
    expect(new URL(p.url()).searchParams.get("runs")).toBe(ids.join(","));
    await p.getByRole("heading", { name: `Compare ${RUNS} runs` }).waitFor();

    // A way back to another site is not followed.
    await anon.clearCookies();
    await p.goto("/sign-in?next=//example.com/x");
    await signIn(p);
    await p.waitForURL((url) => url.pathname !== "/sign-in");
    expect(new URL(p.url()).origin).toBe(target.baseUrl.replace(/\/$/, ""));
    await anon.close();
  });
});
