import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser";
import { startRun } from "./seed";
import { createProjectWithKey, trpcMutation } from "./seed-project";
import { webDir } from "./stack";

// The sweep page on a sweep worked by an "agent" speaking the API as `finetrack agent` does:
// trials by state and agent, the agent's heartbeat, the best trial, scoped links, cancel / resume.
const shots = path.join(webDir, "test-results");
const baseUrl = inject("baseUrl");
const P = "sweeps-e2e";
let key: string;
let browser: Browser;
let page: Page;
let sweepId: string;

const call = (p: string, input: unknown) => trpcMutation(baseUrl, key, p, input) as Promise<any>;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  key = await createProjectWithKey(baseUrl, inject("apiKey"), P);
  const spec = { name: "lr-grid", group: "lr-grid-e2e", method: "grid", command: ["python", "train.py", "--lr", "${lr}"] };
  sweepId = (await call("sweep.create", { project: P, spec, trials: [0.1, 0.01, 0.001, 0.0001].map((lr) => ({ lr, seed: 1 })) })).id;
  const { agentId } = await call("sweep.registerAgent", { project: P, sweepId, host: "gpu-box-1", pid: 4242 });
  const ref = { project: P, sweepId, agentId };
  // Two trials finish with a logged val/loss, one is left running on the agent.
  for (const loss of [0.8, 0.5]) {
    const { trial } = await call("sweep.claim", ref);
    const run = await startRun({ baseUrl, apiKey: key, project: P }, { id: trial.runId, name: `trial-${trial.index}` });
    for (let step = 0; step < 5; step++) run.log({ "val/loss": loss + 1 / (step + 1) }, { step });
    await run.finish({ status: "finished" });
    await call("sweep.complete", { ...ref, trialId: trial.id, attempt: trial.attempt });
  }
  await call("sweep.claim", ref);
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
});

afterAll(async () => {
  await browser?.close();
});

describe("sweep page", () => {
  it("lists the sweep, shows trials by state, the agent and its heartbeat, the best trial, and links scoped to the sweep", async () => {
    await page.goto(`/p/${P}/sweeps`);
    await page.getByRole("link", { name: "lr-grid" }).click();
    await page.getByTestId("sweep-view").waitFor();
    await expect.poll(() => page.getByTestId("sweep-counts").innerText()).toMatch(/queued: 1[\s\S]*running: 1[\s\S]*finished: 2/);
    expect(await page.getByTestId("sweep-best").innerText()).toMatch(/Trial 1: val\/loss min 0\.7 with lr=0\.01, seed=1/);
    const agents = await page.getByTestId("sweep-agents").innerText();
    expect(agents).toMatch(/gpu-box-1 \(pid 4242\)/);
    expect(agents).toMatch(/\d+ s ago/);
    const running = page.locator('[data-testid="sweep-trials"] tr[data-state="running"]');
    expect(await running.innerText()).toMatch(/ag-\w+/);
    const ablation = await page.getByRole("link", { name: "Ablation matrix of this sweep" }).getAttribute("href");
    expect(decodeURIComponent(ablation!)).toContain("lr-grid-e2e");
    await page.screenshot({ path: path.join(shots, "sweep.png"), fullPage: true });
  });

  it("cancels and resumes the sweep", async () => {
    await page.getByRole("button", { name: "Cancel sweep" }).click();
    await expect.poll(() => page.getByTestId("sweep-status").innerText()).toMatch(/^cancelled/);
    expect(await page.getByTestId("sweep-counts").innerText()).toMatch(/cancelled: 1/);
    await page.getByRole("button", { name: "Resume sweep" }).click();
    await expect.poll(() => page.getByTestId("sweep-status").innerText()).toMatch(/^running/);
    expect(await page.getByTestId("sweep-counts").innerText()).toMatch(/queued: 1/);
  });
});
