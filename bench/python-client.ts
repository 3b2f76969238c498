// Python client throughput beside the TypeScript SDK, in the same run against the same server:
// each logs `runs` runs of `steps` steps × 4 metrics and waits until every point is stored.
// The server runs in a child process (as `finetrack server` would), backed by a real PostgreSQL.
//   npx tsx bench/python-client.ts [runs=4] [steps=25000]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { init } from "@finetrack/sdk";
import { forkTestServer, type ServerInfo } from "./lib/test-server-child";

const KEYS = ["train/loss", "train/lr", "val/loss", "train/grad_norm"];

await main();

async function viaSdk(server: ServerInfo, runs: number, steps: number): Promise<number> {
  const started = performance.now();
  for (let r = 0; r < runs; r++) {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, name: `sdk-${r}`, quiet: true });
    for (let step = 0; step < steps; step++) run.log({ [KEYS[0]]: 1 / (step + 1), [KEYS[1]]: 1e-3, [KEYS[2]]: 0.5 + step * 1e-6, [KEYS[3]]: 0.1 }, { step });
    await run.finish();
  }
  return performance.now() - started;
}

function viaPython(server: ServerInfo, runs: number, steps: number): Promise<number> {
  const script = `
import time, finetrack
t = time.perf_counter()
for r in range(${runs}):
    run = finetrack.init(project=${JSON.stringify(server.project)}, url=${JSON.stringify(server.url)}, api_key=${JSON.stringify(server.apiKey)}, name=f"py-{r}", quiet=True)
    for step in range(${steps}):
        run.log({${KEYS.map((k, i) => `${JSON.stringify(k)}: ${["1 / (step + 1)", "1e-3", "0.5 + step * 1e-6", "0.1"][i]}`).join(", ")}}, step=step)
    assert run.finish(timeout_s=600)
print((time.perf_counter() - t) * 1000)
`;
  const cwd = fileURLToPath(new URL("../packages/client-python", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", script], { cwd, env: { ...process.env, FINETRACK_HOME: server.home }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.once("close", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`python exited with ${code}`))));
  });
}

async function main() {
  const runs = Number(process.argv[2] ?? 4);
  const steps = Number(process.argv[3] ?? 25_000);
  const { server, stop } = await forkTestServer();
  const points = runs * steps * KEYS.length;
  // Alternate so that a warming server or a noisy neighbour does not favour one side.
  const sdk: number[] = [];
  const py: number[] = [];
  for (let round = 0; round < 2; round++) {
    sdk.push(await viaSdk(server, runs, steps));
    py.push(await viaPython(server, runs, steps));
  }
  const best = (xs: number[]) => Math.min(...xs);
  const rate = (ms: number) => Math.round(points / (ms / 1000));
  console.log(`${points.toLocaleString("en-US")} points per side (${runs} runs × ${steps} steps × ${KEYS.length} metrics), best of 2`);
  console.log(`TypeScript SDK : ${rate(best(sdk)).toLocaleString("en-US")} points/s`);
  console.log(`Python client  : ${rate(best(py)).toLocaleString("en-US")} points/s`);
  console.log(`ratio Python / SDK = ${(best(sdk) / best(py)).toFixed(2)}×`);
  stop();
}
