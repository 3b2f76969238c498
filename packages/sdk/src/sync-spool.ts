import { appendFileSync, existsSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { MAX_POINTS_PER_BATCH } from "@finetrack/contracts";
import { classifyError, createApiClient, type ApiClient } from "./api-client";
import { backoffDelayMs, sleep } from "./backoff";
import { resolveConnection } from "./resolve-connection";
import { encodeRejectedLine, isSpoolLocked, readCursor, spoolDir, spoolPaths, SpoolReader, type CorruptLine } from "./spool-file";
import { recordPointCount, sendRecordIsolating, type SpoolRecord } from "./spool-record";

export type SyncedRun = {
  runId: string;
  file: string;
  /** partial: everything readable was sent, but some of it was refused or unreadable (see below). */
  outcome: "uploaded" | "partial" | "skipped" | "failed";
  records: number;
  points: number;
  /** Points the server refused (bad or conflicting), kept with the reason in `rejectedFile`. */
  rejected: number;
  /** Records other than points the server refused, also in `rejectedFile`. */
  rejectedRecords: number;
  rejectedFile: string;
  /** Unreadable lines (torn or corrupt), each reported with its place and kept in `corruptFile`. */
  corrupt: CorruptLine[];
  corruptFile: string;
  /** Why it was skipped or failed. */
  detail?: string;
};

const ATTEMPTS = 5;
const SIDE_FILES = [".rejected.jsonl", ".corrupt.jsonl"];

/** Runs that have a spool file under `home`. */
export function listSpooledRuns(home: string): string[] {
  const dir = spoolDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl") && !SIDE_FILES.some((side) => name.endsWith(side)))
    .map((name) => name.slice(0, -".jsonl".length))
    .sort();
}

/**
 * Uploads spooled runs (offline runs, or runs whose server was unreachable or whose process died)
 * in order, from each file's acknowledged cursor, and deletes each spool file once all of it is
 * stored or set aside: refused points go to <run>.rejected.jsonl with the server's reason, unreadable
 * lines to <run>.corrupt.jsonl, and the run's outcome is then "partial".
 */
export async function syncSpool(options: { home?: string; url?: string; apiKey?: string; runIds?: string[]; onRun?: (run: SyncedRun) => void } = {}): Promise<SyncedRun[]> {
  const connection = resolveConnection(options);
  const client = createApiClient({ url: connection.url, apiKey: connection.apiKey });
  const results: SyncedRun[] = [];
  for (const runId of options.runIds ?? listSpooledRuns(connection.home)) {
    const paths = spoolPaths(connection.home, runId);
    const result: SyncedRun = { runId, file: paths.file, outcome: "skipped", records: 0, points: 0, rejected: 0, rejectedRecords: 0, rejectedFile: paths.rejected, corrupt: [], corruptFile: paths.corrupt };
    if (!existsSync(paths.file)) result.detail = "no spool file for this run";
    else if (isSpoolLocked(paths.lock)) result.detail = "a running process is still writing it";
    else {
      try {
        await uploadFile(client, runId, paths, result);
        result.outcome = result.rejected + result.rejectedRecords + result.corrupt.length > 0 ? "partial" : "uploaded";
        // The cursor first: a file left without its cursor is only sent again, never lost.
        for (const path of [paths.cursor, paths.file, paths.lock]) if (existsSync(path)) unlinkSync(path);
      } catch (error) {
        result.outcome = "failed";
        result.detail = (error as Error).message;
      }
    }
    options.onRun?.(result);
    results.push(result);
    if (result.outcome === "failed" && result.detail?.startsWith(AUTH_PREFIX)) break;
  }
  return results;
}

const AUTH_PREFIX = "the server rejected the API key";

async function uploadFile(client: ApiClient, runId: string, paths: ReturnType<typeof spoolPaths>, result: SyncedRun): Promise<void> {
  const onCorrupt = (line: CorruptLine) => {
    appendFileSync(paths.corrupt, `${line.text}\n`);
    result.corrupt.push(line);
  };
  const onReject = (record: SpoolRecord, why: string | string[]) => {
    appendFileSync(paths.rejected, encodeRejectedLine(record, why));
    if (record.t === "points") result.rejected += record.points.length;
    else result.rejectedRecords += 1;
  };
  // Everything before the cursor was acknowledged by the server while the run was live.
  const reader = new SpoolReader(paths.file, readCursor(paths.cursor, statSync(paths.file).size), onCorrupt);
  // A writer that appended while we uploaded (e.g. a run that just exited) is caught by re-reading the size.
  for (;;) {
    // Consecutive point records travel together, up to the server's batch limit.
    const batch = await reader.peek(MAX_POINTS_PER_BATCH, statSync(paths.file).size, true);
    if (!batch) return;
    await sendWithRetry(client, runId, batch.record, onReject);
    result.records += batch.count;
    result.points += recordPointCount(batch.record);
    reader.advance(batch.count);
    // So that a sync cut short (network, Ctrl-C) resumes here next time.
    writeFileSync(paths.cursor, String(reader.offset));
  }
}

/** Retries what may succeed later; a 500 that repeats identically on every attempt is a refusal of this record. */
async function sendWithRetry(client: ApiClient, runId: string, record: SpoolRecord, onReject: (record: SpoolRecord, why: string | string[]) => void): Promise<void> {
  const answers = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    try {
      await sendRecordIsolating(client, runId, record, (bad, why) => onReject(bad, why.why));
      return;
    } catch (error) {
      const failure = classifyError(error);
      if (failure.kind === "auth") throw new Error(`${AUTH_PREFIX} (${failure.code}: ${failure.message}); the spool file is kept: fix the API key (or the run's project), then run \`finetrack sync\` again`);
      answers.add(failure.code === "INTERNAL_SERVER_ERROR" ? failure.message : `${failure.code}: ${failure.message} (${attempt})`);
      if (attempt + 1 >= ATTEMPTS && answers.size === 1) {
        return onReject(record, `${failure.code}: ${failure.message} (the same answer ${ATTEMPTS} times in a row)`);
      }
      if (attempt + 1 >= ATTEMPTS) throw new Error(`server unreachable or failing after ${ATTEMPTS} attempts (${failure.code}: ${failure.message}); the spool file is kept and the next sync resumes where this one stopped`);
      await sleep(backoffDelayMs(attempt), true);
    }
  }
}
