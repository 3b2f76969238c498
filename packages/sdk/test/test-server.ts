import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHttpServer } from "@finetrack/api";
import { bootstrapLocal } from "@finetrack/core";
import { freePort, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { createApiClient, type ApiClient } from "../src";

export type TestServer = {
  db: Db;
  url: string;
  apiKey: string;
  project: string;
  /** A fresh FINETRACK_HOME (spool, credentials) for this server's tests. */
  home: string;
  client: ApiClient;
  /** SIGKILLs the server process (only with `killable`): connections drop mid-request. */
  kill(): Promise<void>;
  /** Serves again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
};

type Stoppable = { close(): Promise<void> };

/** The API in a child process that `kill()` can SIGKILL, like a crashing or redeployed server. */
async function spawnServer(databaseUrl: string, port: number): Promise<Stoppable> {
  const script = fileURLToPath(new URL("./fixtures/http-server-child.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, databaseUrl, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => String(chunk).includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`test API server exited with code ${code} before listening`)));
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/**
 * A real Postgres database and the real tRPC HTTP server on a free port, with the local admin key.
 * `killable` runs the server in a child process so that kill() is a real SIGKILL.
 */
export async function startTestServer(options: { killable?: boolean } = {}): Promise<TestServer> {
  const db = await createTestDb();
  const { project, key } = await bootstrapLocal(db);
  const port = await freePort();
  const start = (): Promise<Stoppable> => (options.killable ? spawnServer(db.url, port) : createHttpServer({ db, port, crashTimeoutMs: 0 }));
  let server: Stoppable | null = await start();
  const url = `http://127.0.0.1:${port}`;
  const apiKey = key!.secret;
  return {
    db,
    url,
    apiKey,
    project: project.slug,
    home: mkdtempSync(join(tmpdir(), "ft-home-")),
    client: createApiClient({ url, apiKey }),
    async kill() {
      if (!options.killable) throw new Error("startTestServer({ killable: true }) is needed to kill the server");
      await server?.close();
      server = null;
    },
    async restart() {
      server ??= await start();
    },
    async close() {
      await server?.close();
      server = null;
      await db.close();
    },
  };
}

/** Points stored for a run, per key, straight from Postgres. */
export async function storedPoints(db: Db, runId: string): Promise<Map<string, Array<{ step: number; value: number }>>> {
  const { rows } = await db.pool.query<{ name: string; step: number; value: number }>(
    `SELECT k."name", p."step", p."value" FROM "MetricPoint" p
       JOIN "Run" r ON r."seq" = p."runSeq" JOIN "MetricKey" k ON k."id" = p."keyId"
      WHERE r."id" = $1 ORDER BY k."name", p."step"`,
    [runId],
  );
  const byKey = new Map<string, Array<{ step: number; value: number }>>();
  for (const row of rows) {
    const list = byKey.get(row.name) ?? [];
    list.push({ step: row.step, value: row.value });
    byKey.set(row.name, list);
  }
  return byKey;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export { startFaultProxy, logBatchRequests, type FaultProxy, type InjectedError, type ProxiedRequest } from "./fault-proxy";
