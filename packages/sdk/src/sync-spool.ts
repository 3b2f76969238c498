import { createReadStream, existsSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { classifyError, createApiClient, type ApiClient } from "./api-client";
import { backoffDelayMs, sleep } from "./backoff";
import { resolveConnection } from "./resolve-connection";
import { decodeSpoolLine, encodeSpoolLine, isSpoolLocked, spoolDir, spoolPaths } from "./spool-file";
import { MAX_POINTS_PER_BATCH, type MetricPoint } from "@finetrack/contracts";
import { sendRecordIsolating, type SpoolRecord } from "./spool-record";

export type SyncedRun = {
  runId: string;
  file: string;
  outcome: "uploaded" | "skipped" | "failed";
  records: number;
  points: number;
  /** Records the server refused (bad or conflicting points), kept in <run>.rejected.jsonl. */
  rejected: number;
  /** Why it was skipped or failed. */
  detail?: string;
};

const ATTEMPTS = 5;

/** Runs that have a spool file under `home`. */
export function listSpooledRuns(home: string): string[] {
  const dir = spoolDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl") && !name.endsWith(".rejected.jsonl"))
    .map((name) => name.slice(0, -".jsonl".length))
    .sort();
}

class AuthError extends Error {}

/**
 * Uploads spooled runs (offline runs, or runs whose server was unreachable) in order, and deletes
 * each spool file only once all of it is stored. Records the server rejects go to <run>.rejected.jsonl.
 */
export async function syncSpool(options: { home?: string; url?: string; apiKey?: string; runIds?: string[]; onRun?: (run: SyncedRun) => void } = {}): Promise<SyncedRun[]> {
  const connection = resolveConnection(options);
  const client = createApiClient({ url: connection.url, apiKey: connection.apiKey });
  const results: SyncedRun[] = [];
  for (const runId of options.runIds ?? listSpooledRuns(connection.home)) {
    const paths = spoolPaths(connection.home, runId);
    let result: SyncedRun;
    if (!existsSync(paths.file)) {
      result = { runId, file: paths.file, outcome: "skipped", records: 0, points: 0, rejected: 0, detail: "no spool file for this run" };
    } else if (isSpoolLocked(paths.lock)) {
      result = { runId, file: paths.file, outcome: "skipped", records: 0, points: 0, rejected: 0, detail: "a running process is still writing it" };
    } else {
      try {
        result = { runId, file: paths.file, outcome: "uploaded", ...(await uploadFile(client, runId, paths.file, paths.rejected)) };
        unlinkSync(paths.file);
      } catch (error) {
        result = { runId, file: paths.file, outcome: "failed", records: 0, points: 0, rejected: 0, detail: (error as Error).message };
        if (error instanceof AuthError) {
          options.onRun?.(result);
          results.push(result);
          break;
        }
      }
    }
    options.onRun?.(result);
    results.push(result);
  }
  return results;
}

async function uploadFile(client: ApiClient, runId: string, file: string, rejectedFile: string): Promise<{ records: number; points: number; rejected: number }> {
  let records = 0;
  let points = 0;
  let rejected = 0;
  let offset = 0;
  const send = async (record: SpoolRecord) => {
    rejected += await sendWithRetry(client, runId, record, rejectedFile);
  };
  // A writer that appended while we uploaded (e.g. a run that just exited) is caught by re-reading the tail.
  for (let end = statSync(file).size; offset < end; end = statSync(file).size) {
    // Consecutive point records travel together, up to the server's batch limit.
    let batch: MetricPoint[] = [];
    const lines = createInterface({ input: createReadStream(file, { start: offset, end: end - 1 }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const record = decodeSpoolLine(line, `${file} after byte ${offset}`);
      records += 1;
      if (record.t === "points") {
        points += record.points.length;
        if (batch.length + record.points.length > MAX_POINTS_PER_BATCH) {
          await send({ t: "points", points: batch });
          batch = [];
        }
        batch.push(...record.points);
        continue;
      }
      if (batch.length > 0) await send({ t: "points", points: batch });
      batch = [];
      await send(record);
    }
    if (batch.length > 0) await send({ t: "points", points: batch });
    offset = end;
  }
  return { records, points, rejected };
}

/** Returns how many records the server refused (saved to `rejectedFile`). */
async function sendWithRetry(client: ApiClient, runId: string, record: SpoolRecord, rejectedFile: string): Promise<number> {
  const rejected: SpoolRecord[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      await sendRecordIsolating(client, runId, record, (bad) => rejected.push(bad));
      break;
    } catch (error) {
      const failure = classifyError(error);
      if (failure.kind === "auth") throw new AuthError(`the server rejected the API key (${failure.code}: ${failure.message})`);
      if (attempt + 1 >= ATTEMPTS) throw new Error(`server unreachable after ${ATTEMPTS} attempts (${failure.message}); the spool file is kept`);
      await sleep(backoffDelayMs(attempt), true);
    }
  }
  if (rejected.length > 0) await appendFile(rejectedFile, rejected.map(encodeSpoolLine).join(""));
  return rejected.length;
}
