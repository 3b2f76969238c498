// Dashboard speed in real Chromium (Playwright), each number beside a baseline measured in the
// same run on the same server:
//   runs table, 10,000 runs: interactive ≤ 2.5× the app's smallest page (sign-in); also beside the raw data fetch
//   sort on a metric column (beside Array.prototype.sort of the same column)
//   compare 100 runs × 10,000 steps: fetched and drawn ≤ 1.5× the raw fetch + parse of the same series
// Targets are ratios to a baseline of the same run, so a loaded machine does not move them.
//   npx tsx bench/dashboard.ts [--runs 10000] [--compare 100] [--steps 10000]
import { mkdirSync } from "node:fs";
import { createApiKey, createProject, logMetrics } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import type { Page } from "playwright-core";
import { wireTransformer } from "@finetrack/contracts";
import { launchChromium } from "../apps/web/e2e/browser";
import { ensureBuild, startStack } from "../apps/web/e2e/stack";
import { runsTableInput } from "../apps/web/src/components/runs/table-input";
import { arg } from "./lib/harness";

const RUNS = arg("runs", 10_000);
const COMPARE = arg("compare", 100);
const STEPS = arg("steps", 10_000);
const REPEAT = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** 10,000 runs in one INSERT: config, metric statistics and summaries like the SDK leaves them. */
async function seedRuns(db: Db, projectId: string, n: number) {
  const ids: string[] = [], names: string[] = [], models: string[] = [], methods: string[] = [], configs: string[] = [], stats: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(`bench-${i}`);
    names.push(`run ${i}`);
    models.push(["tiny-a", "tiny-b", "tiny-c"][i % 3]);
    methods.push(["lora", "full", "qlora", "freeze"][i % 4]);
    configs.push(JSON.stringify({ learning_rate: 10 ** (-5 + (i % 7) * 0.4), lora_rank: [4, 8, 16][i % 3], batch_size: [8, 16, 32][i % 3], epochs: 1 + (i % 5), dropout: (i % 4) * 0.1 }));
    const v = 0.5 + ((i * 7919) % 1000) / 1000;
    stats.push(JSON.stringify({
      "train/loss": { count: 1000, first: 2, firstStep: 0, last: v * 0.8, lastStep: 999, min: v * 0.7, minStep: 900, max: 2, maxStep: 0 },
      "val/loss": { count: 100, first: 2.1, firstStep: 0, last: v * 1.1, lastStep: 990, min: v, minStep: 600, max: 2.1, maxStep: 0 },
    }));
  }
  await db.pool.query(
    `INSERT INTO "Run" ("id", "projectId", "name", "status", "baseModel", "method", "config", "metricStats", "tags", "createdAt", "startedAt", "finishedAt", "updatedAt")
     SELECT u.id, $1, u.name, 'finished', u.model, u.method, u.config::jsonb, u.stats::jsonb, ARRAY['bench'],
            now() - (u.ord || ' seconds')::interval, now() - (u.ord + 600 || ' seconds')::interval, now() - (u.ord || ' seconds')::interval, now()
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(id, name, model, method, config, stats, ord)`,
    [projectId, ids, names, models, methods, configs, stats],
  );
}

/** COMPARE runs × STEPS steps of train/loss (val/loss every 100 steps), through the ingest code path. */
async function seedCurves(db: Db, project: string): Promise<string[]> {
  const ids: string[] = [];
  for (let r = 0; r < COMPARE; r++) {
    const id = `curve-${r}`;
    ids.push(id);
    await db.pool.query(
      `INSERT INTO "Run" ("id", "projectId", "name", "status", "config", "updatedAt", "startedAt") SELECT $1, p.id, $2, 'finished', $3::jsonb, now(), now() FROM "Project" p WHERE p.slug = $4`,
      [id, `curve run ${r}`, JSON.stringify({ learning_rate: 1e-4 * (1 + r) }), project],
    );
    const t0 = Date.now() - 3_600_000;
    for (let start = 0; start < STEPS; start += 9_000) {
      const points = [];
      for (let step = start; step < Math.min(STEPS, start + 9_000); step++) {
        points.push({ key: "train/loss", step, value: 2 * Math.exp(-step / 2_000) + 0.05 * Math.sin(step / 5 + r) + r * 0.002, epoch: step / 1_000, time: new Date(t0 + step * 100) });
        if (step % 100 === 0) points.push({ key: "val/loss", step, value: 2.1 * Math.exp(-step / 2_000) + 0.1 + r * 0.002, epoch: step / 1_000, time: new Date(t0 + step * 100) });
      }
      await logMetrics(db, { runId: id, points });
    }
  }
  return ids;
}

/** ms from navigation start until `ready` holds in the page, read back by the bench. */
async function timeNavigation(page: Page, url: string, ready: string): Promise<number> {
  return (await timeNavigationReady(page, url, ready)).returnedMs;
}

/**
 * Also the page's own clock at the frame where `ready` first held (`readyMs`): the bench's round
 * trip to read the clock (tens of ms on a loaded machine) is not the page's time.
 */
async function timeNavigationReady(page: Page, url: string, ready: string): Promise<{ readyMs: number; returnedMs: number }> {
  await page.goto(url, { waitUntil: "commit" });
  let readyMs: number;
  try {
    const handle = await page.waitForFunction(`(${ready}) && performance.now()`, undefined, { timeout: 60_000, polling: "raf" });
    readyMs = (await handle.jsonValue()) as number;
  } catch (error) {
    mkdirSync("bench/out", { recursive: true });
    await page.screenshot({ path: "bench/out/dashboard-timeout.png" });
    console.error(`not ready at ${url}; page says: ${(await page.locator("main").innerText()).slice(0, 600)}`);
    throw error;
  }
  return { readyMs, returnedMs: await page.evaluate(() => performance.now()) };
}

async function main() {
  ensureBuild();
  const stack = await startStack();
  try {
    console.log(`seeding ${RUNS} runs and ${COMPARE} runs × ${STEPS} steps…`);
    const project = await stack.db.prisma.project.findUniqueOrThrow({ where: { slug: stack.project } });
    await seedRuns(stack.db, project.id, RUNS);
    await createProject(stack.db, { slug: "curves", name: "Curves" });
    const seedStart = Date.now();
    const curveIds = await seedCurves(stack.db, "curves");
    console.log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

    const browser = await launchChromium();
    const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1400, height: 900 } });
    const signIn = async (ctx: typeof context, apiKey: string) => {
      const res = await ctx.request.post("/api/trpc/session.signIn", { data: wireTransformer.serialize({ apiKey }) });
      if (!res.ok()) throw new Error(`sign-in failed: ${await res.text()}`);
    };
    await signIn(context, stack.apiKey);
    let page = await context.newPage();
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    const rowsReady = `document.querySelector('[data-testid="runs-table"][data-row-count="${RUNS}"] [data-run-id]') !== null`;
    const runsUrl = `/p/${stack.project}`;
    // The table's own request (its default columns), as the page sends it.
    const rowsInput = encodeURIComponent(JSON.stringify(wireTransformer.serialize(runsTableInput(stack.project, { filter: {}, sort: null, group: null, columns: null }))));
    // Warm the server (first compile of each route, pool connections) before measuring.
    await timeNavigation(page, runsUrl, rowsReady);
    await timeNavigation(page, "/sign-in", `document.querySelector("#api-key") !== null`);

    const phases: [number, number][] = [];
    const table: number[] = [], minimal: number[] = [], rawRows: number[] = [], sorts: number[] = [], rawSorts: number[] = [];
    for (let k = 0; k < REPEAT; k++) {
      minimal.push(await timeNavigation(page, "/sign-in", `document.querySelector("#api-key") !== null`));
      table.push(await timeNavigation(page, runsUrl, rowsReady));
      // Where the time goes: the page's own start-up, the runRows request, then parse and render.
      phases.push(
        (await page.evaluate(`(() => {
          const e = performance.getEntriesByType("resource").find((x) => x.name.includes("analysis.runRows"));
          return e ? [e.startTime, e.responseEnd] : [NaN, NaN];
        })()`)) as [number, number],
      );
      rawRows.push(
        await page.evaluate(async (input) => {
          const t0 = performance.now();
          const res = await fetch(`/api/trpc/analysis.runRows?input=${input}`);
          const body = await res.json();
          if (!body.result) throw new Error(JSON.stringify(body).slice(0, 300));
          return performance.now() - t0;
        }, rowsInput),
      );
      // Page scripts are strings: tsx would wrap named functions in a helper the page lacks.
      const sortMs = (await page.evaluate(`(async () => {
        const button = document.querySelector('button[data-column="metrics.val/loss.min"]');
        const header = button.closest('[role="columnheader"]');
        const t0 = performance.now();
        button.click();
        // Sorted when the header says so and the re-rendered rows have been painted.
        await new Promise((resolve, reject) => {
          const check = () => (header.getAttribute("aria-sort") === "ascending" ? resolve() : performance.now() - t0 > 10000 ? reject(new Error("sort never applied")) : requestAnimationFrame(check));
          check();
        });
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      })()`)) as number;
      sorts.push(sortMs);
      rawSorts.push(
        (await page.evaluate(`(async () => {
          const body = await (await fetch("/api/trpc/analysis.runRows?input=${rowsInput}")).json();
          const col = body.result.data.json.metrics["val/loss"].min;
          const idx = col.map((_, i) => i);
          const t0 = performance.now();
          idx.sort((a, b) => (col[a] ?? Infinity) - (col[b] ?? Infinity));
          return performance.now() - t0;
        })()`)) as number,
      );
    }

    // Keys are project-scoped: the curves project gets its own read key and browser context.
    const curvesKey = await createApiKey(stack.db, { project: "curves", name: "bench", scopes: ["read"] });
    const curvesContext = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1400, height: 900 } });
    await signIn(curvesContext, curvesKey.secret);
    await page.close();
    page = await curvesContext.newPage();
    const ids = curveIds.join(",");
    const drawnReady = `(() => { const charts = [...document.querySelectorAll('[data-testid="line-chart"]')];
      return charts.length > 0 && charts.every((c) => Number(c.dataset.lines) >= ${COMPARE} && Number(c.dataset.drawn ?? 0) > 0); })()`;
    await timeNavigation(page, `/p/curves/compare?runs=${ids}`, drawnReady);
    const comparePage: number[] = [], fetchedDrawn: number[] = [], rawSeries: number[] = [];
    const seriesPhases: number[][] = [];
    for (let k = 0; k < REPEAT; k++) {
      const { readyMs: drawnMs, returnedMs: total } = await timeNavigationReady(page, `/p/curves/compare?runs=${ids}`, drawnReady);
      comparePage.push(total);
      // The page's clock: from the series request leaving the page to the frame after the last chart drew.
      const [seriesUrl, seriesStart, seriesFirstByte, seriesEnd] = await page.evaluate(() => {
        const entry = performance.getEntriesByType("resource").find((e) => e.name.includes("metric.series")) as PerformanceResourceTiming | undefined;
        if (!entry) throw new Error("no metric.series request seen");
        return [entry.name, entry.startTime, entry.responseStart, entry.responseEnd] as const;
      });
      fetchedDrawn.push(drawnMs - seriesStart);
      seriesPhases.push([seriesFirstByte - seriesStart, seriesEnd - seriesStart, drawnMs - seriesStart]);
      // The baseline gets a quiet page: the seed comparison starts once the curves are drawn, and
      // its request must not share the server with the raw fetch.
      await page.waitForLoadState("networkidle");
      // The very request the page sent (same input, so the same data), fetched and parsed plainly.
      rawSeries.push(
        await page.evaluate(async (url) => {
          const t0 = performance.now();
          const body = await (await fetch(url)).json();
          if (!body.result) throw new Error(JSON.stringify(body).slice(0, 300));
          return performance.now() - t0;
        }, seriesUrl),
      );
    }
    await browser.close();

    /** One line: the measurement, its baseline, the ratio and whether it meets a ratio target. */
    const row = (label: string, value: number, target: number | null, baseLabel: string, base: number) => {
      const ratio = value / base;
      const verdict = target === null ? "" : ratio <= target ? `  ≤ ${target}× target: met` : `  ≤ ${target}× target: MISSED`;
      console.log(`${label.padEnd(44)} ${ms(value).padStart(8)}   ${baseLabel.padEnd(34)} ${ms(base).padStart(8)}   ratio ${ratio.toFixed(2)}×${verdict}`);
    };
    console.log(`\nmedians of ${REPEAT} in Chromium ${browser.version()}`);
    row(`runs table, ${RUNS} runs: interactive`, median(table), 2.5, "baseline: smallest page (sign-in)", median(minimal));
    row(`runs table, ${RUNS} runs: interactive`, median(table), null, "baseline: raw runRows fetch+parse", median(rawRows));
    const k = table.indexOf(median(table));
    console.log(`  of which: runRows request sent at ${ms(phases[k][0])}, answered at ${ms(phases[k][1])}, table drawn at ${ms(table[k])}`);
    row(`sort ${RUNS} runs on a metric column`, median(sorts), null, "baseline: Array.sort of the column", Math.max(0.1, median(rawSorts)));
    row(`compare ${COMPARE}×${STEPS}: series fetched+drawn`, median(fetchedDrawn), 1.5, "baseline: raw series fetch+parse", median(rawSeries));
    const c = fetchedDrawn.indexOf(median(fetchedDrawn));
    console.log(`  of which: series first byte at ${ms(seriesPhases[c][0])}, last byte at ${ms(seriesPhases[c][1])}, curves drawn at ${ms(seriesPhases[c][2])} (from the request)`);
    row(`compare ${COMPARE}×${STEPS}: whole page`, median(comparePage), null, "baseline: smallest page (sign-in)", median(minimal));
  } finally {
    await stack.stop();
  }
}

await main();
