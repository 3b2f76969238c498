import { mkdirSync } from "node:fs";
import path from "node:path";
import { hfSweep, trainerSweep, unbalancedSweep, type SweepRun } from "@finetrack/analysis/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { startRun, type SeedTarget } from "./seed";
import { trpcMutation as postMutation } from "./seed-project";
import { webDir } from "./stack";

// The factor page on the run sets of packages/analysis/test/config-sweeps.ts: our trainer's
// 24-run ablation sweep (config shape of packages/trainer's run-training.ts), a Hugging Face-style
// config set and an unbalanced sweep, each in a project of its own.
const shots = path.join(webDir, "test-results");
const baseUrl = inject("baseUrl");
const apiKey = inject("apiKey");
const P = { trainer: "fx-trainer", hf: "fx-hf", unbalanced: "fx-unbalanced" };
const ids: Record<string, string> = {};
/** An admin key of each seeded project (the bootstrap key is the default project's). */
const keys: Record<string, string> = {};

let browser: Browser;
let page: Page;

const trpcMutation = (path: string, input: unknown) => postMutation(baseUrl, apiKey, path, input);

/** A project of the admin (who creates it) and a key to log into it. */
async function createProject(slug: string) {
  await trpcMutation("project.create", { slug, name: slug });
  keys[slug] = ((await trpcMutation("key.create", { project: slug, name: "e2e", scopes: ["admin"] })) as { secret: string }).secret;
}

/** A run whose metric ends exactly at its planted target (val loss falls to it; accuracy rises to it). */
async function logSweepRun(project: string, r: SweepRun, metric: "val/loss" | "eval/accuracy", parentRunId?: string) {
  const target: SeedTarget = { baseUrl, apiKey: keys[project], project };
  const run = await startRun(target, { name: r.name, group: "sweep", baseModel: r.baseModel, method: r.method, dataset: r.dataset, seed: r.seed, config: r.config, parentRunId });
  for (let step = 0; step <= 20; step++) {
    const left = 1 - step / 20;
    run.log({ "train/loss": 0.9 * r.target + 2 * left, [metric]: metric === "val/loss" ? r.target + 0.5 * left : r.target - 0.1 * left }, { step });
  }
  await run.finish({ status: "finished" });
  ids[`${project}/${r.name}`] = run.id;
  return run.id;
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const slug of Object.values(P)) await createProject(slug);
  await Promise.all([
    ...trainerSweep().map((r) => logSweepRun(P.trainer, r, "val/loss")),
    ...hfSweep().map((r) => logSweepRun(P.hf, r, "eval/accuracy")),
    ...unbalancedSweep().map((r) => logSweepRun(P.unbalanced, r, "val/loss")),
  ]);
  // A compression child of a sweep run: derived, so outside the analysis unless asked for.
  const parent = ids[`${P.trainer}/lora-tiny-s-arith-small-s1`];
  await logSweepRun(P.trainer, { name: "int8-child", baseModel: "tiny-s", method: "lora", config: { technique: "int8", method_config: { bits: 8 }, parent_run_id: parent }, target: 3 }, "val/loss", parent);
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
});

let signedInTo = "";
/** Opens a page of a project, signed in with that project's key (a key-made session sees its project only). */
async function visit(project: string, rest: string) {
  if (signedInTo !== project) {
    await page.goto("/sign-in");
    await page.getByLabel("API key").fill(keys[project]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    signedInTo = project;
  }
  await page.goto(`/p/${project}/${rest}`);
}

afterAll(async () => {
  await browser?.close();
});

async function factorRows(): Promise<string[]> {
  await page
    .getByTestId("importance-row")
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(async (error) => {
      await shot("factors-failure");
      throw new Error(`${(error as Error).message}\npage text: ${(await page.locator("main, body").first().innerText()).slice(0, 1500)}`);
    });
  return page.getByTestId("importance-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-factor") ?? ""));
}

describe("the factor page on real configs", () => {
  it("our trainer's sweep: one row per real factor, no NaN rows, the family answer, the folded model keys and the seed noise", async () => {
    await visit(P.trainer, `impact`);
    expect(await factorRows()).toEqual(["baseModel", "dataset", "method"]);
    expect(await page.getByTestId("family-answer").textContent()).toMatch(/Base model matters most for these runs/);
    const anova = await page.getByTestId("anova-row").allTextContents();
    expect(anova.length).toBe(6);
    for (const row of anova) expect(row).not.toMatch(/NaN/);
    expect(await page.getByTestId("follower-note").first().textContent()).toMatch(/^11 keys follow from base model/);
    expect(await page.getByTestId("seed-noise").textContent()).toMatch(/^seed noise: (<1|\d+)% of the variance/);
    expect(await page.getByTestId("factor-notes").textContent()).toMatch(/1 derived runs \(compression children\) left out/);
    expect(await page.getByTestId("heatmap").getAttribute("data-pair")).toBe("baseModel|dataset");
    const group = page.getByTestId("group-link");
    expect(await group.textContent()).toBe("only group sweep (24 runs)");
    expect(JSON.parse(new URL(await group.getAttribute("href") ?? "", baseUrl).searchParams.get("filter") ?? "{}")).toEqual({ group: ["sweep"] });
    expect(await page.getByTestId("parallel").getAttribute("data-axes")).toBe("4");
    await page.locator("canvas").first().waitFor();
    await shot("factors-trainer-sweep");
  });

  it("keeps the target and the page state in the URL, losses listed first", async () => {
    await visit(P.trainer, `impact`);
    await factorRows();
    const options = await page.getByLabel("Target", { exact: true }).locator("option").allTextContents();
    expect(options[0]).toBe("metrics.val/loss.min");
    expect(options.indexOf("metrics.train/loss.min")).toBe(1);
    await page.getByLabel("Target", { exact: true }).selectOption("metrics.train/loss.min");
    await expect.poll(() => new URL(page.url()).searchParams.get("target")).toBe("metrics.train/loss.min");
    await page.getByLabel("Rows", { exact: true }).selectOption("method");
    await expect.poll(() => new URL(page.url()).searchParams.get("heat")).toBe("method|dataset");
    await page.reload();
    await factorRows();
    expect(await page.getByLabel("Target", { exact: true }).inputValue()).toBe("metrics.train/loss.min");
    expect(await page.getByTestId("heatmap").getAttribute("data-pair")).toBe("method|dataset");
  });

  it("a Hugging Face-style config set: base model and dataset from their HF keys, no bookkeeping factor", async () => {
    await visit(P.hf, `impact?target=${encodeURIComponent("metrics.eval/accuracy.max")}&dir=maximize`);
    expect((await factorRows()).sort()).toEqual(["baseModel", "dataset", "learning_rate"]);
    expect(await page.getByTestId("family-answer").textContent()).toMatch(/Base model matters most for these runs/);
    const aliases = (await page.getByTestId("alias-note").allTextContents()).join(" | ");
    expect(aliases).toMatch(/model_name_or_path are one factor, baseModel/);
    expect(aliases).toMatch(/dataset_name are one factor, dataset/);
    expect(await page.getByTestId("factor-notes").textContent()).toMatch(/left out: bookkeeping/);
    await shot("factors-hf-configs");
  });

  it("an unbalanced sweep: a confounding warning with the run that breaks it", async () => {
    await visit(P.unbalanced, `impact`);
    await factorRows();
    const warning = page.getByTestId("confounding-warning").first();
    expect(await warning.textContent()).toMatch(/base model and dataset move together in these runs \(Cramér's V 0\.\d\d\)/);
    expect(await warning.textContent()).toMatch(/base model explains \d+(\.\d+)?% of the variance alone but \d+(\.\d+)?% once dataset is accounted for/);
    expect(await page.getByTestId("suggested-run").first().textContent()).toBe("run base model `tiny-l` on `arith-small@v1` (0 runs so far)");
    await shot("factors-unbalanced");
  });
});

describe("seeds in the ablation matrix and the compare view", () => {
  it("tests every cell against a chosen baseline cell, with the runs table's filter control", async () => {
    await visit(P.trainer, `ablation?split=dataset`);
    await page.getByTestId("filter-builder").waitFor();
    const grid = page.getByTestId("ablation-grid").first();
    await grid.waitFor();
    expect(await grid.locator('[data-cell="tiny-s|lora"]').textContent()).toMatch(/\(N=2\)2 seeds/);
    await page.getByLabel("Baseline", { exact: true }).selectOption("tiny-l|full");
    await expect.poll(() => new URL(page.url()).searchParams.get("baseline")).toBe("tiny-l|full");
    const versus = grid.locator('[data-cell="tiny-s|lora"] [data-testid="vs-baseline"]');
    await versus.waitFor();
    expect(await versus.getAttribute("data-winner")).toBe("b");
    expect(await versus.getAttribute("title")).toMatch(/^tiny-l × full beats tiny-s × lora by 0\.\d+ ± [\d.]+ \(p (=|<) [\d.]+, 2 seeds each\)\.$/);
    await shot("ablation-trainer-sweep");
    await page.getByTestId("filter-builder").getByRole("button", { name: "+ Filter" }).click();
    await page.getByLabel("Filter field").selectOption("baseModel");
    await page.getByLabel("Filter value").fill("tiny-s");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => grid.locator("tbody tr").count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("filter")).toContain("tiny-s");
  });

  it("compares two picked runs as configurations with all their seeds", async () => {
    const a = ids[`${P.trainer}/full-tiny-s-arith-large-s1`];
    const b = ids[`${P.trainer}/lora-tiny-l-arith-large-s2`];
    await visit(P.trainer, `compare?runs=${a},${b}`);
    const verdict = page.getByTestId("seed-verdict");
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toMatch(/^baseModel tiny-l · method lora beats baseModel tiny-s · method full by 0\.\d+ ± [\d.]+ \(p (=|<) [\d.]+, 2 seeds each\)\.$/);
    expect(await page.getByTestId("configuration-row").count()).toBe(2);
    await shot("compare-seeds");
  });
});
