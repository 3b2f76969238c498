// A test server (real PostgreSQL + the API over HTTP, with the local admin key) in its own process,
// for benchmarks that must not charge the server's work to the process they measure.
// `const { server, stop } = await forkTestServer()`; the child exits when the parent disconnects.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestServer } from "@finetrack/sdk/testing";

export type ServerInfo = { url: string; apiKey: string; home: string; project: string };

if (process.argv[2] === "--serve" && process.send) {
  const s = await startTestServer();
  process.send({ url: s.url, apiKey: s.apiKey, home: s.home, project: s.project } satisfies ServerInfo);
  process.on("disconnect", () => void s.close().then(() => process.exit(0)));
}

export async function forkTestServer(): Promise<{ server: ServerInfo; stop(): void }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const server = await new Promise<ServerInfo>((resolve) => child.once("message", (m) => resolve(m as ServerInfo)));
  return { server, stop: () => child.disconnect() };
}
