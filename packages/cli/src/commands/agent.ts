import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { classifyError } from "@finetrack/sdk";
import { Command } from "commander";
import { withConnection, connect, type ConnectionFlags } from "../connection";
import { positiveInt } from "../positive-int";

const CLI_BIN = fileURLToPath(new URL("../../bin/finetrack.mjs", import.meta.url));

type AgentFlags = ConnectionFlags & { project?: string; count?: string; concurrency: string; poll: string };

type Claimed = { id: string; index: number; attempt: number; runId: string; assignment: Record<string, unknown> };
type Spec = { command?: string[]; trainer?: Record<string, unknown>; heartbeatIntervalS: number };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
const describe = (a: Record<string, unknown>) => Object.entries(a).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");

/**
 * `finetrack agent <sweep id>`: claims the sweep's trials from the server (never the database), runs
 * each as a child process with heartbeats, and reports how it ended. Ctrl-C hands running trials
 * back to the queue; a second Ctrl-C exits at once.
 */
export function agentCommand(): Command {
  return withConnection(new Command("agent").description("run trials of a queued sweep (start one per machine; see `finetrack sweep --queue`)"))
    .argument("<sweep-id>", "the id `finetrack sweep --queue` printed")
    .option("--project <slug>", "the sweep's project (default: the credentials file's project, else 'default')")
    .option("--count <n>", "run at most this many trials, then exit")
    .option("--concurrency <k>", "trials run at once by this agent", "1")
    .option("--poll <seconds>", "how often to ask again while other agents' trials may still come back", "1")
    .action(async (sweepId: string, flags: AgentFlags) => {
      const concurrency = positiveInt("--concurrency", flags.concurrency);
      const limit = flags.count === undefined ? Infinity : positiveInt("--count", flags.count);
      const pollMs = Math.max(50, Number(flags.poll) * 1000 || 1000);
      const { client, connection, defaultProject } = connect(flags);
      const project = flags.project ?? defaultProject;
      const out = (line: string): void => void process.stdout.write(`${line}\n`);
      const hello = await client.sweep.registerAgent.mutate({ project, sweepId, host: hostname().slice(0, 200), pid: process.pid, concurrency });
      const { agentId } = hello;
      const spec = hello.sweep.spec as Spec;
      out(`agent ${agentId}: sweep '${hello.sweep.name}' (${sweepId}, ${hello.sweep.status}), ${concurrency} at a time`);
      const ref = { project, sweepId, agentId };
      const stop = new AbortController();
      const children = new Set<ChildProcess>();
      let interrupts = 0;
      const onSigint = () => {
        if (++interrupts > 1) {
          for (const c of children) c.kill("SIGKILL");
          process.exit(130);
        }
        out(`agent ${agentId}: interrupted: handing running trials back to the queue (Ctrl-C again to quit now)`);
        stop.abort();
      };
      process.on("SIGINT", onSigint);
      process.on("SIGTERM", onSigint);
      const workDir = mkdtempSync(join(tmpdir(), "ft-agent-"));
      let claimed = 0;
      let ran = 0;
      let failedTrials = 0;

      async function runTrial(trial: Claimed): Promise<void> {
        const tag = `trial ${trial.index} (attempt ${trial.attempt})`;
        const at = { ...ref, trialId: trial.id, attempt: trial.attempt };
        const { trialLaunch } = await import("@finetrack/trainer/trial");
        let launch;
        try {
          launch = trialLaunch({ id: sweepId, name: hello.sweep.name, group: hello.sweep.group, command: spec.command, trainer: spec.trainer }, trial, { cliBin: CLI_BIN, workDir });
        } catch (error) {
          const result = await client.sweep.fail.mutate({ ...at, error: (error as Error).message.slice(0, 8_000) });
          out(`${tag} could not start: ${(error as Error).message} (${result.state})`);
          return;
        }
        out(`${tag} start: ${describe(trial.assignment)} → run ${trial.runId}`);
        const [program, ...args] = launch.argv;
        // The trial's SDK reaches the same server with the same key, and knows its project.
        const env = { ...process.env, FINETRACK_URL: connection.url, ...(connection.apiKey ? { FINETRACK_API_KEY: connection.apiKey } : {}), FINETRACK_PROJECT: project, ...launch.env };
        const child = spawn(program, args, { env, stdio: ["ignore", "inherit", "pipe"] });
        children.add(child);
        let stderrTail = "";
        child.stderr!.on("data", (chunk: Buffer) => {
          process.stderr.write(chunk);
          stderrTail = (stderrTail + chunk.toString()).slice(-4_000);
        });
        const ending = { verdict: "run" as "run" | "stop" | "lost" | "release" };
        const kill = (why: (typeof ending)["verdict"]) => {
          if (ending.verdict === "run") ending.verdict = why;
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        };
        const onAbort = () => kill("release");
        stop.signal.addEventListener("abort", onAbort, { once: true });
        const beat = setInterval(() => {
          client.sweep.heartbeat
            .mutate(at)
            .then((h) => {
              if (h.stop && ending.verdict === "run") {
                out(`${tag}: ${h.reason}`);
                kill("stop");
              }
            })
            .catch((error) => {
              // Taken away after missed heartbeats: someone else runs it now, so this copy stops and reports nothing.
              if (classifyError(error).code === "CONFLICT") kill("lost");
            });
        }, spec.heartbeatIntervalS * 1000);
        const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
          child.once("error", (error) => resolve({ code: null, signal: null, error }));
          child.once("exit", (code, signal) => resolve({ code, signal }));
        });
        clearInterval(beat);
        const { verdict } = ending;
        stop.signal.removeEventListener("abort", onAbort);
        children.delete(child);
        if (verdict === "lost") return out(`${tag}: given to another agent after missed heartbeats; dropped here`);
        if (verdict === "release") {
          await retrying(() => client.sweep.fail.mutate({ ...at, error: "released by the agent (interrupted)", release: true }));
          return out(`${tag}: handed back to the queue`);
        }
        if (verdict === "stop" || (exit.code === 0 && !exit.error)) {
          const done = (await retrying(() => client.sweep.complete.mutate(at)))!;
          ran++;
          return out(`${tag} ${done.state}${done.objective !== null ? ` (objective ${done.objective.toPrecision(5)})` : ""}`);
        }
        const why = exit.error ? `could not start '${program}': ${exit.error.message}` : `exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}`;
        const last = stderrTail.trim().split("\n").slice(-5).join("\n");
        const result = (await retrying(() => client.sweep.fail.mutate({ ...at, error: `${why}${last ? `: ${last}` : ""}`.slice(0, 8_000) })))!;
        if (result.state === "failed") failedTrials++;
        out(`${tag} failed: ${why} (${result.state === "queued" ? "back in the queue" : "no retries left"})`);
      }

      async function slot(): Promise<void> {
        while (!stop.signal.aborted && claimed < limit) {
          const answer = await retrying(() => client.sweep.claim.mutate(ref), stop.signal);
          if (!answer) return;
          if (answer.status === "waiting") {
            await sleep(pollMs, stop.signal);
            continue;
          }
          if (answer.status !== "claimed" || !answer.trial) {
            out(`agent ${agentId}: sweep ${answer.status === "done" ? "has no trials left" : "was cancelled"}`);
            return;
          }
          claimed++;
          await runTrial(answer.trial as Claimed);
        }
      }

      try {
        await Promise.all(Array.from({ length: concurrency }, () => slot()));
      } finally {
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigint);
        rmSync(workDir, { recursive: true, force: true });
      }
      out(`agent ${agentId}: ran ${ran} trial(s)${failedTrials ? `, ${failedTrials} failed for good` : ""}`);
      if (stop.signal.aborted) process.exitCode = 130;
    });
}

/** A call retried through network trouble and 5xx (a server restarting); undefined once `signal` is aborted. */
async function retrying<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return undefined;
    try {
      return await call();
    } catch (error) {
      if (classifyError(error).kind !== "retry" || attempt >= 30) throw error;
      await sleep(Math.min(5_000, 200 * 2 ** attempt), signal ?? new AbortController().signal);
    }
  }
}
