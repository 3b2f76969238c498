import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { MAX_NAME_LENGTH, MAX_POINTS_PER_BATCH, type RunCreateInput } from "@finetrack/contracts";
import { classifyError, type ApiClient } from "@finetrack/sdk";
import type { SourceRun } from "./types";

export type WriteResult = { id: string; state: "created" | "already imported" | "resumed" | "dry run"; inserted: number; duplicates: number };

/**
 * The run id: a hash of the source's identity (format, absolute path, every file's path and
 * bytes), so importing the same thing again finds the same run, and a log that grew since is a
 * new run rather than a silent merge.
 */
export function importRunId(run: SourceRun): string {
  const hash = createHash("sha256").update(`${run.format}\0${run.source}\0`);
  for (const file of [...new Set(run.files)].sort()) hash.update(`${file}\0`).update(readFileSync(file)).update("\0");
  return `imp-${hash.digest("hex").slice(0, 40)}`;
}

const clip = (text: string | undefined, max: number) => (text ? text.trim().slice(0, max) || undefined : undefined);

export function createInput(run: SourceRun, project: string, id: string, tags: string[]): RunCreateInput {
  return {
    project,
    id,
    name: clip(run.name, MAX_NAME_LENGTH) ?? id,
    group: clip(run.group, MAX_NAME_LENGTH),
    config: run.config,
    baseModel: clip(run.baseModel, 200),
    method: clip(run.method, 64),
    dataset: run.dataset ? { name: clip(run.dataset, MAX_NAME_LENGTH)! } : undefined,
    tags,
    notes: run.notes,
    system: { import: { format: run.format, source: run.source, files: run.files.length } },
  };
}

async function existingStatus(client: ApiClient, id: string): Promise<string | null> {
  try {
    return (await client.run.get.query({ id })).status;
  } catch (error) {
    if (classifyError(error).code === "NOT_FOUND") return null;
    throw error;
  }
}

/**
 * Logs one run through the API, as any client would: create (idempotent on the id), points in
 * batches (idempotent on run, key, step), finish with the summary. A run whose earlier import
 * finished is left alone; one left running (an import cut short) is completed.
 */
export async function writeRun(client: ApiClient, run: SourceRun, options: { project: string; tags: string[]; onPoints?: (n: number) => void }): Promise<WriteResult> {
  const id = importRunId(run);
  const status = await existingStatus(client, id);
  if (status !== null && status !== "running") return { id, state: "already imported", inserted: 0, duplicates: 0 };
  await client.run.create.mutate(createInput(run, options.project, id, options.tags));
  let inserted = 0;
  let duplicates = 0;
  for (let i = 0; i < run.points.length; i += MAX_POINTS_PER_BATCH) {
    const batch = run.points.slice(i, i + MAX_POINTS_PER_BATCH);
    const result = await client.metric.logBatch.mutate({ runId: id, points: batch });
    inserted += result.inserted;
    duplicates += result.duplicates;
    options.onPoints?.(batch.length);
  }
  await client.run.finish.mutate({ id, status: run.status, summary: run.summary, error: run.error });
  return { id, state: status === null ? "created" : "resumed", inserted, duplicates };
}
