// The sweep queue (pg-boss in the server) as agents see it, against a real server process and
// PostgreSQL: trials claimed per second by A concurrent agents (claim → complete, no program), and
// the queue's overhead per trial (claim + heartbeat + complete) beside the cheapest write round
// trip, `run.heartbeat`, measured in the same run.
//   npx tsx bench/sweep-queue.ts [--trials 2000] [--agents 8]
import { createApiKey, createProject, createRun } from "@finetrack/core";
import { createTestDb } from "@finetrack/db/testing";
import { createApiClient, type ApiClient } from "@finetrack/sdk";
import { arg, median, startServerProcess, timed } from "./lib/harness";

const TRIALS = arg("trials", 2_000);
const AGENTS = arg("agents", 8);
const SAMPLES = 300;

async function sweep(client: ApiClient, trials: number): Promise<string> {
  const spec = { name: "bench", group: "bench", method: "grid" as const, command: ["true"] };
  return (await client.sweep.create.mutate({ project: "bench", spec: spec as never, trials: Array.from({ length: trials }, (_, i) => ({ i })) })).id;
}

type Parts = { claim: number[]; heartbeat: number[]; complete: number[]; total: number[] };

async function agentLoop(client: ApiClient, sweepId: string, parts: Parts | null, heartbeat: boolean): Promise<number> {
  const { agentId } = await client.sweep.registerAgent.mutate({ project: "bench", sweepId, host: "bench" });
  const ref = { project: "bench", sweepId, agentId };
  let n = 0;
  for (;;) {
    const t0 = performance.now();
    const claim = await client.sweep.claim.mutate(ref);
    if (!claim.trial) return n;
    const t1 = performance.now();
    const at = { ...ref, trialId: claim.trial.id, attempt: claim.trial.attempt };
    if (heartbeat) await client.sweep.heartbeat.mutate(at);
    const t2 = performance.now();
    await client.sweep.complete.mutate(at);
    const t3 = performance.now();
    if (parts) {
      parts.claim.push(t1 - t0);
      parts.heartbeat.push(t2 - t1);
      parts.complete.push(t3 - t2);
      parts.total.push(t3 - t0);
    }
    n++;
  }
}

const db = await createTestDb();
await createProject(db, { slug: "bench", name: "bench" });
const { secret } = await createApiKey(db, { project: "bench", name: "bench", scopes: ["write"] });
const server = await startServerProcess(db.url);
const client = createApiClient({ url: server.url, apiKey: secret });
try {
  await createRun(db, { project: "bench", id: "bench-run" });
  for (let i = 0; i < 50; i++) await client.run.heartbeat.mutate({ id: "bench-run" });
  const baseline: number[] = [];
  for (let i = 0; i < SAMPLES; i++) baseline.push((await timed(() => client.run.heartbeat.mutate({ id: "bench-run" }))).ms);

  const warm = await sweep(client, 50);
  await agentLoop(client, warm, null, true);
  const parts: Parts = { claim: [], heartbeat: [], complete: [], total: [] };
  await agentLoop(client, await sweep(client, SAMPLES), parts, true);

  const results: string[] = [];
  for (const agents of [1, AGENTS]) {
    const id = await sweep(client, TRIALS);
    const { ms, result } = await timed(() => Promise.all(Array.from({ length: agents }, () => agentLoop(client, id, null, false))));
    const claimed = result.reduce((a, b) => a + b, 0);
    if (claimed !== TRIALS) throw new Error(`claimed ${claimed} of ${TRIALS}`);
    results.push(`${agents} agent(s): ${TRIALS} trials claimed and completed in ${(ms / 1000).toFixed(2)} s = ${((TRIALS / ms) * 1000).toFixed(0)} trials/s`);
  }
  const base = median(baseline);
  const overhead = median(parts.total);
  console.log(`run.heartbeat round trip (baseline): median ${base.toFixed(2)} ms`);
  console.log(`queue overhead per trial (claim + heartbeat + complete, 1 agent): median ${overhead.toFixed(2)} ms = ${(overhead / base).toFixed(1)}x the baseline`);
  console.log(`  claim ${median(parts.claim).toFixed(2)} ms, heartbeat ${median(parts.heartbeat).toFixed(2)} ms, complete ${median(parts.complete).toFixed(2)} ms`);
  for (const line of results) console.log(line);
} finally {
  await server.stop();
  await db.close();
}
process.exit(0);
