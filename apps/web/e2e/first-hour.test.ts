// The first hour of a new user (issue 14): the pages a README walk-through opens, as a compressed
// fine-tune leaves them — a parent run and its distillation, one-shot pruning and PTQ children.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { overfitCurve, startRun, type SeedTarget } from "./seed";
import { createProjectWithKey } from "./seed-project";
import { webDir } from "./stack";

const shots = path.join(webDir, "test-results");
// A project of its own, so the other specs' runs do not change what this one counts.
const target: SeedTarget = { baseUrl: inject("baseUrl"), apiKey: "", project: "first-hour" };
const MODEL_BYTES = 1_234_567;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const ids: Record<string, string> = {};

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** A child run exactly as the trainer's compression logs one: its history, then one final point. */
async function logChild(parentRunId: string, technique: string, history: { step: number; values: Record<string, number> }[]) {
  const run = await startRun(target, {
    name: `${technique}-child`,
    parentRunId,
    method: technique,
    baseModel: "tiny",
    tags: ["compression", technique],
    config: { technique, method_config: { bits: 8 }, parent_run_id: parentRunId },
  });
  for (const p of history) run.log(p.values, { step: p.step });
  const finalStep = history.length ? Math.max(...history.map((p) => p.step)) + 1 : 0;
  run.log({ "val/loss": 1.25, "val/accuracy": 0.61, model_bytes: MODEL_BYTES }, { step: finalStep });
  await run.finish({ status: "finished", summary: { model_bytes: MODEL_BYTES, compression_ratio: 3.9999999, wall_time_ms: 15_000 } });
  return run.id;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  target.apiKey = await createProjectWithKey(target.baseUrl, inject("apiKey"), target.project);
  // Two sweep runs that got the same auto-name, differing in learning rate and seed.
  for (const [k, lr] of [1e-3, 3e-3].entries()) {
    const run = await startRun(target, {
      name: "lora-tiny-arithmetic",
      baseModel: "tiny",
      method: "lora",
      seed: k + 1,
      group: "sweep-a",
      tags: ["sweep"],
      dataset: { name: "arithmetic", version: "sha256:9f2c4e0b7d1a3c5e8f6a2b4d0c9e7f1a3b5d7c9e", trainSize: 400 },
      config: { finetuning_type: "lora", learning_rate: lr, lora_rank: 8, seed: k + 1, output_dir: `.finetrack/checkpoints/${k}`, tags: ["sweep"], group: "sweep-a" },
    });
    for (let step = 0; step <= 30; step += 5) run.log({ "train/loss": 2 - step / (20 + k), "val/loss": 2.1 - step / (25 + k) }, { step });
    await run.finish({ status: "finished" });
    ids[`sweep${k}`] = run.id;
  }
  const parent = await startRun(target, {
    name: "full-tiny-arithmetic",
    baseModel: "tiny",
    method: "full",
    seed: 42,
    config: { finetuning_type: "full", lora_rank: 8, lora_alpha: 16, learning_rate: 0.005, warmup_ratio: 0.08333333333333333, seed: 42 },
  });
  for (let step = 0; step <= 120; step++) {
    const c = overfitCurve(step, 40);
    parent.log({ "train/loss": c.train }, { step });
    if (step % 6 === 0) parent.log({ "val/loss": c.val }, { step });
  }
  await parent.finish({ status: "finished" });
  ids.parent = parent.id;
  const distillHistory = [15, 30, 45].map((step) => ({ step, values: { "train/loss": 2 - step / 50, "val/loss": 2.1 - step / 60, "val/accuracy": 0.3 + step / 200 } }));
  ids.distill = await logChild(parent.id, "distill", distillHistory);
  ids.prune = await logChild(parent.id, "prune", [{ step: 0, values: { sparsity: 0.5, target_sparsity: 0.5 } }]);
  ids.ptq = await logChild(parent.id, "ptq", []);
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(target.apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
});

afterAll(async () => {
  await browser?.close();
});

describe("first hour", () => {
  it("runs table: name pinned first, best val loss, the config keys that vary, derived runs under their parent, same names told apart", async () => {
    await page.goto(`/p/${target.project}`);
    const table = page.getByTestId("runs-table");
    await table.waitFor();
    await expect.poll(() => table.getAttribute("data-row-count")).toBe("6");
    const headers = await table.locator(".rt-head button[data-column]").evaluateAll((bs) => bs.map((b) => b.getAttribute("data-column")));
    expect(headers.slice(0, 2)).toEqual(["name", "metrics.val/loss.min"]);
    expect(await table.locator('.rt-head button[data-column="metrics.val/loss.min"]').textContent()).toMatch(/^best val\/loss/);
    // Varying setup keys, not the seed, paths, or spellings of Tags and Group.
    expect(headers).toContain("config.learning_rate");
    // finetuning_type spells the method, which has its own column.
    expect(headers).not.toContain("config.finetuning_type");
    for (const noise of ["config.seed", "config.output_dir", "config.tags", "config.group", "config.parent_run_id"]) expect(headers).not.toContain(noise);

    // Derived runs follow their parent, one level in.
    const rows = await table.locator("[data-run-id]").evaluateAll((rs) => rs.map((r) => [r.getAttribute("data-run-id"), r.getAttribute("data-depth"), Number(/translateY\(([\d.]+)px\)/.exec((r as HTMLElement).style.transform)?.[1])] as const));
    const ordered = [...rows].sort((a, b) => a[2] - b[2]);
    const at = ordered.findIndex((r) => r[0] === ids.parent);
    expect(ordered.slice(at + 1, at + 4).map((r) => r[1])).toEqual(["1", "1", "1"]);
    expect(new Set(ordered.slice(at + 1, at + 4).map((r) => r[0]))).toEqual(new Set([ids.distill, ids.prune, ids.ptq]));
    await page.locator(`[data-run-id="${ids.parent}"]`).getByTestId("derived-toggle").click();
    await expect.poll(() => table.locator("[data-run-id]").count()).toBe(3);
    await page.locator(`[data-run-id="${ids.parent}"]`).getByTestId("derived-toggle").click();
    await expect.poll(() => table.locator("[data-run-id]").count()).toBe(6);

    // Two runs named alike carry the start of their ids.
    for (const k of [0, 1]) {
      const suffix = page.locator(`[data-run-id="${ids[`sweep${k}`]}"]`).getByTestId("name-suffix");
      expect(await suffix.textContent()).toContain(ids[`sweep${k}`].slice(0, 8));
    }
    // Cut-off cells carry their full value on hover; dates in ISO 8601.
    const row = page.locator(`[data-run-id="${ids.sweep0}"]`);
    expect(await row.locator('[data-column="dataset"]').getAttribute("title")).toBe("arithmetic@sha256:9f2c4e0b7d1a3c5e8f6a2b4d0c9e7f1a3b5d7c9e");
    expect(await row.locator('[data-column="createdAt"]').getAttribute("title")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // A derived run's Duration is the time its work took (its summary's wall time), not the moment it was logged in.
    expect(await page.locator(`[data-run-id="${ids.distill}"] [data-column="duration"]`).textContent()).toBe("15s");
    await shot("runs-table-first-hour");

    // Group rows give durations as durations (mean ± std), not as raw seconds.
    await page.getByLabel("Group by").selectOption("method");
    const distillGroup = page.getByTestId("group-row").filter({ hasText: "method: distill" });
    expect(await distillGroup.locator('[data-column="duration"]').textContent()).toBe("15s ± 0s");
    await page.getByLabel("Group by").selectOption("");
    await expect.poll(() => page.getByTestId("group-row").count()).toBe(0);

    // The name stays in view while the table scrolls sideways.
    const name = row.locator('[data-column="name"]');
    const before = (await name.boundingBox())!.x;
    await table.evaluate((el) => (el.scrollLeft = 600));
    await expect.poll(() => table.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect((await name.boundingBox())!.x).toBeCloseTo(before, 0);
    expect(pageErrors).toEqual([]);
  });

  it("renames, tags and deletes runs from the table, deleting after a confirmation and with an undo", async () => {
    await page.goto(`/p/${target.project}`);
    const table = page.getByTestId("runs-table");
    await expect.poll(() => table.getAttribute("data-row-count")).toBe("6");
    const row = (id: string) => page.locator(`[data-run-id="${id}"]`);
    await row(ids.sweep1).getByLabel(`Select run ${ids.sweep1}`).check();
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("New run name").fill("lora-lr3e-3");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => row(ids.sweep1).locator('[data-column="name"] a').textContent()).toBe("lora-lr3e-3");
    // The names differ now: no id suffix.
    expect(await row(ids.sweep0).getByTestId("name-suffix").count()).toBe(0);

    for (const id of [ids.sweep0, ids.sweep1]) await row(id).getByLabel(`Select run ${id}`).check();
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag to add").fill("keep");
    await page.getByRole("button", { name: "Add to 2 runs" }).click();
    await expect.poll(() => row(ids.sweep0).locator('[data-column="tags"]').textContent()).toContain("keep");
    expect(await row(ids.sweep1).locator('[data-column="tags"]').textContent()).toContain("keep");

    await row(ids.sweep0).getByLabel(`Select run ${ids.sweep0}`).check();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    // Nothing is deleted before the confirmation.
    expect(await page.getByTestId("confirm-delete").textContent()).toContain("Delete 1 run 'lora-tiny-arithmetic'?");
    expect(await table.getAttribute("data-row-count")).toBe("6");
    await page.getByRole("button", { name: "Delete 1 run" }).click();
    await expect.poll(() => table.getAttribute("data-row-count")).toBe("5");
    expect(await row(ids.sweep0).count()).toBe(0);
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => table.getAttribute("data-row-count")).toBe("6");
    expect(await row(ids.sweep0).locator('[data-column="tags"]').textContent()).toContain("keep");
    expect(pageErrors).toEqual([]);
  });

  it("signed out: asks to sign in without forms that cannot work; an unknown project says so; the favicon is served", async () => {
    const anon = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1400, height: 900 } });
    const p = await anon.newPage();
    await p.goto(`/p/${target.project}`);
    await p.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/p/${target.project}`);
    expect(await p.getByTestId("runs-toolbar").count()).toBe(0);
    expect(await p.getByRole("button", { name: /^Columns/ }).count()).toBe(0);
    await anon.close();

    await page.goto("/p/no-such-project");
    const missing = page.getByTestId("not-found");
    await missing.waitFor();
    expect(await missing.textContent()).toContain("no-such-project");
    expect(await missing.textContent()).not.toMatch(/server is running/);

    const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(icon).toBeTruthy();
    const res = await page.request.get(icon!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/svg+xml");
  });

  it("opens the distillation, one-shot pruning and PTQ children without a crash, one-point metrics as values", async () => {
    for (const which of ["distill", "prune", "ptq"]) {
      pageErrors.length = 0;
      await page.goto(`/p/${target.project}/runs/${ids[which]}`);
      await page.getByTestId("metric-charts").waitFor();
      const bytes = page.locator('[data-metric="model_bytes"] [data-testid="single-value"]');
      await bytes.waitFor();
      expect(await bytes.textContent()).toBe("1,234,567 B (1.18 MiB)");
      expect(await page.locator('[data-metric="model_bytes"] [data-testid="line-chart"]').count()).toBe(0);
      // A page that crashed shows Next's error page instead of the run.
      expect(await page.getByText("This page couldn't load").count()).toBe(0);
      expect(await page.getByTestId("run-name").textContent()).toBe(`${which}-child`);
      if (which === "distill") await shot("run-page-distill-child");
      expect(pageErrors, `${which}: ${pageErrors.join("; ")}`).toEqual([]);
    }
    // One-shot pruning logs sparsity once: a value, not an empty chart.
    await page.goto(`/p/${target.project}/runs/${ids.prune}`);
    await page.locator('[data-metric="sparsity"] [data-testid="single-value"]').waitFor();
    expect(await page.locator('[data-metric="sparsity"] [data-testid="single-value"]').textContent()).toBe("0.5");
    // PTQ: val loss and accuracy logged once.
    await page.goto(`/p/${target.project}/runs/${ids.ptq}`);
    await page.locator('[data-metric="val/loss"] [data-testid="single-value"]').waitFor();
    expect(await page.locator('[data-metric="val/loss"] [data-testid="single-value"]').textContent()).toBe("1.25");
    expect(pageErrors).toEqual([]);
  });

  it("links a child back to its parent and gives it the duration its work took", async () => {
    await page.goto(`/p/${target.project}/runs/${ids.distill}`);
    const link = page.getByTestId("parent-link");
    await link.waitFor();
    expect(await page.locator("dt", { hasText: "Duration" }).locator("xpath=following-sibling::dd[1]").textContent()).toBe("15s");
    await link.click();
    await page.waitForURL(`**/runs/${ids.parent}`);
    await page.getByTestId("run-name").waitFor();
    expect(await page.getByTestId("run-name").textContent()).toBe("full-tiny-arithmetic");
    // The parent lists its children with exact byte counts.
    const bytesCell = page.locator('section[aria-label="Derived runs"] [data-column="bytes"]').first();
    await bytesCell.waitFor();
    expect(await bytesCell.textContent()).toBe("1,234,567 B (1.18 MiB)");
  });

  it("titles the axes, names the data point's step in the tooltip, and shows config sorted, formatted, without options that do not apply", async () => {
    await page.goto(`/p/${target.project}/runs/${ids.parent}`);
    const loss = page.locator('[data-metric="loss"]');
    await expect.poll(() => loss.locator('[data-testid="line-chart"]').getAttribute("data-lines")).toBe("2");
    expect(await loss.getByTestId("x-title").textContent()).toBe("step");
    expect(await loss.getByTestId("y-title").textContent()).toBe("loss");
    const over = loss.locator(".u-over");
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.37, box.y + box.height / 2);
    const tip = loss.locator(".chart-tooltip");
    await tip.waitFor();
    const head = await tip.locator("div").first().textContent();
    expect(head).toMatch(/^step: \d+$/);

    const config = page.locator('dl[aria-label="config"]');
    await config.waitFor();
    const keys = await config.locator("dt").allTextContents();
    expect(keys).toEqual(["finetuning_type", "learning_rate", "seed", "warmup_ratio"]);
    expect(await config.locator('[data-key="warmup_ratio"] dd').textContent()).toBe("0.083333");
    expect(await config.locator('[data-key="warmup_ratio"] dd').getAttribute("title")).toBe("0.08333333333333333");
    const toggle = page.getByTestId("inapplicable-toggle");
    expect(await toggle.textContent()).toBe("Show 2 options that do not apply to full");
    await toggle.click();
    expect(await config.locator("dt").allTextContents()).toContain("lora_rank");
    await shot("run-page-parent");
    expect(pageErrors).toEqual([]);
  });

  it("titles the x axis by the chosen mode (relative time)", async () => {
    await page.goto(`/p/${target.project}/runs/${ids.parent}`);
    const loss = page.locator('[data-metric="loss"]');
    await loss.getByTestId("x-title").waitFor();
    await page.getByLabel("x-axis").selectOption("relative");
    await expect.poll(() => loss.getByTestId("x-title").textContent()).toBe("time since start");
    expect(pageErrors).toEqual([]);
  });
});
