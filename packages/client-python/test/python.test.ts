import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { syncSpool } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

type Result = { code: number | null; stdout: string; stderr: string };

function python(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", args, { cwd: packageDir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("the Python client", () => {
  it("passes its unittest suite against a real server, nothing skipped", async () => {
    const result = await python(["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], {
      FINETRACK_TEST_URL: server.url,
      FINETRACK_TEST_API_KEY: server.apiKey,
      FINETRACK_TEST_PROJECT: server.project,
    });
    if (result.code !== 0) console.error(result.stderr);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\nOK\n/);
    expect(result.stderr).not.toMatch(/skipped/);
    expect(Number(/Ran (\d+) tests/.exec(result.stderr)?.[1])).toBeGreaterThanOrEqual(15);
  });

  it("spools offline in the TypeScript SDK's format, so `finetrack sync` uploads it", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-py-offline-"));
    const script = [
      "import math, finetrack",
      `run = finetrack.init(project=${JSON.stringify(server.project)}, name="py-offline", base_model="gpt2", method="lora",`,
      '    dataset="alpaca", config={"lr": 1e-3, "nan_cfg": math.nan, "a.b": {"toString": 1}}, mode="offline")',
      "for step in range(250):",
      '    run.log({"train/loss": 1 / (step + 1), "val/loss": math.inf if step == 3 else 0.5}, step=step, epoch=step / 100)',
      'run.summary({"best": 0.5})',
      "run.finish()",
      "print(run.id)",
    ].join("\n");
    const result = await python(["-c", script], { FINETRACK_HOME: home });
    expect(result.stderr).toContain("finetrack sync");
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    expect(existsSync(join(home, "spool", `${runId}.lock`))).toBe(false);
    const synced = await syncSpool({ home, url: server.url, apiKey: server.apiKey });
    expect(synced.map((s) => [s.runId, s.outcome, s.points, s.rejected])).toEqual([[runId, "uploaded", 500, 0]]);
    const run = await server.client.run.get.query({ id: runId });
    expect(run).toMatchObject({ name: "py-offline", baseModel: "gpt2", method: "lora", status: "finished", summary: { best: 0.5 } });
    expect(run.config).toMatchObject({ lr: 1e-3, "a.b": { toString: 1 } });
    expect(run.config.nan_cfg).toBe("NaN"); // JSONB has no NaN: the server keeps a config NaN as the string, for every client
    const [val] = (await server.client.metric.series.query({ runIds: [runId], keys: ["val/loss"], maxPoints: 1000 })).series;
    expect(val.total).toBe(250);
    expect(val.value[3]).toBe(Infinity);
    expect(val.epoch[100]).toBeCloseTo(1);
  });

  it("spools when the server is away and `finetrack sync` uploads the rest later", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-py-away-"));
    const script = [
      "import finetrack",
      `run = finetrack.init(project=${JSON.stringify(server.project)}, name="py-away", url="http://127.0.0.1:9", api_key="x", quiet=True)`,
      "for step in range(3000):",
      '    run.log({"loss": 1 / (step + 1)}, step=step)',
      "print(run.finish(timeout_s=2))",
      "print(run.id)",
    ].join("\n");
    const result = await python(["-c", script], { FINETRACK_HOME: home });
    expect(result.code).toBe(0);
    const [stored, runId] = result.stdout.trim().split("\n");
    expect(stored).toBe("False");
    const synced = await syncSpool({ home, url: server.url, apiKey: server.apiKey });
    expect(synced.map((s) => [s.outcome, s.points])).toEqual([["uploaded", 3000]]);
    expect((await server.client.run.get.query({ id: runId })).status).toBe("finished");
  });

  it("installs with pip from the folder, with no package index", async () => {
    const target = mkdtempSync(join(tmpdir(), "ft-py-pip-"));
    const install = await python(["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", target, "."]);
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(join(target, "finetrack", "integrations", "transformers.py"))).toBe(true);
    const metadata = readFileSync(join(target, "finetrack-0.1.0.dist-info", "METADATA"), "utf8");
    expect(metadata).toContain("Requires-Python: >=3.9");
    const imported = await python(["-I", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(target)}); import finetrack; from finetrack.integrations.transformers import FinetrackCallback; print(finetrack.__file__)`]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(target);
  });
});
