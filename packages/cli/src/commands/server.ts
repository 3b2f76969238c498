import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertAuthOffAllowed, createHttpServer, readApiEnv, startCrashMonitor } from "@finetrack/api";
import { bootstrapLocal } from "@finetrack/core";
import { connectDb, startDatabase } from "@finetrack/db";
import { finetrackHome } from "@finetrack/sdk";
import { Command, InvalidArgumentError, Option } from "commander";
import { ensureLocalKey } from "../ensure-local-key";
import { childEnv, readCliEnv } from "../env";
import { nodeOptionsExitingWithParent } from "../exit-with-parent";
import { startNext, webDirFrom, type RunningWeb } from "../start-next";

type ServerFlags = { port: number; host: string; dev?: boolean; apiOnly?: boolean; crashTimeout?: number };

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InvalidArgumentError("expected a port number between 1 and 65535");
  return port;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0)) throw new InvalidArgumentError("expected a positive number of seconds");
  return seconds;
}

const log = (line: string) => process.stdout.write(`finetrack: ${line}\n`);

/** `finetrack server`: database, first-start bootstrap, crash sweep and the dashboard + API. */
export function serverCommand(): Command {
  const env = readCliEnv();
  return new Command("server")
    .description("start the API and dashboard (embedded PostgreSQL in .finetrack/ unless DATABASE_URL is set)")
    // The default's description is given, so commander does not print a second "(default: 3000)".
    .addOption(new Option("--port <port>", "HTTP port").argParser(parsePort).default(env.PORT ?? 3000, "$PORT, else 3000"))
    .addOption(new Option("--host <host>", "interface to listen on").default(env.HOST ?? "127.0.0.1", "$HOST, else 127.0.0.1"))
    .option("--dev", "run the dashboard with `next dev` (hot reload)")
    .option("--api-only", "serve only the tRPC API, without the dashboard")
    .option("--crash-timeout <seconds>", "a running run without a heartbeat for this long becomes crashed (default: $FINETRACK_CRASH_TIMEOUT_SECONDS, else 300)", parseSeconds)
    .action(runServer);
}

async function runServer(flags: ServerFlags): Promise<void> {
  assertAuthOffAllowed(flags.host);
  const cleanups: Array<() => Promise<void>> = [];
  const shutdown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`shutdown: ${(error as Error).message}`));
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    void shutdown().then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const database = await startDatabase({ log });
    cleanups.push(() => database.stop());
    const db = connectDb(database.url);
    cleanups.push(() => db.close());

    const publicUrl = `http://localhost:${flags.port}`;
    const { project, key, admin } = await bootstrapLocal(db, { adminPassword: readCliEnv().FINETRACK_ADMIN_PASSWORD });
    if (admin.password) {
      log(`instance admin '${admin.username}' ${admin.created ? "created" : "given a password"}; sign in to the dashboard with this one-time password (change it with \`finetrack users reset-password ${admin.username}\`):\n\n    ${admin.password}\n`);
    } else if (admin.created) log(`instance admin '${admin.username}' created with the password from FINETRACK_ADMIN_PASSWORD`);
    await ensureLocalKey(db, { home: finetrackHome(), url: publicUrl, project: project.slug, minted: key?.secret ?? null, log });

    const crashTimeout = flags.crashTimeout ?? readApiEnv().FINETRACK_CRASH_TIMEOUT_SECONDS;
    const stopSweep = startCrashMonitor(db, {
      timeoutMs: crashTimeout * 1000,
      onCrashed: (ids) => log(`no heartbeat for ${crashTimeout} s, marked crashed: ${ids.join(", ")}`),
    });
    cleanups.push(async () => stopSweep());

    const web = await startWeb(flags, database.url);
    cleanups.push(() => web.stop());
    log(`serving ${flags.apiOnly ? "the API" : "the dashboard and API"} at ${publicUrl} (${database.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}); Ctrl-C stops it`);
    const code = await web.exited;
    if (!stopping) {
      log(`the web server exited unexpectedly (code ${code}); stopping`);
      stopping = true;
      await shutdown();
      process.exit(1);
    }
  } catch (error) {
    await shutdown();
    throw error;
  }
}

async function startWeb(flags: ServerFlags, databaseUrl: string): Promise<RunningWeb> {
  const { webDir, packagesDir } = webDirFrom(dirname(fileURLToPath(import.meta.url)).replace(/[/\\]commands$/, ""));
  const hasDashboardApi = existsSync(join(webDir, "app", "api", "trpc", "[trpc]", "route.ts"));
  if (!flags.apiOnly && hasDashboardApi) {
    const env = childEnv({ DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" });
    // Next must not outlive a server killed with -9: it would hold the port the next start needs.
    env.NODE_OPTIONS = nodeOptionsExitingWithParent(env.NODE_OPTIONS);
    return startNext({ webDir, packagesDir, dev: Boolean(flags.dev), port: flags.port, host: flags.host, env, log });
  }
  if (!flags.apiOnly) log("apps/web has no API route yet; serving the API alone");
  const db = connectDb(databaseUrl);
  // The crash sweep runs above, once, whichever web server serves.
  const server = await createHttpServer({ db, port: flags.port, host: flags.host, crashTimeoutMs: 0 });
  let resolveExit: (code: number | null) => void = () => {};
  const exited = new Promise<number | null>((resolve) => (resolveExit = resolve));
  return {
    exited,
    async stop() {
      await server.close();
      await db.close();
      resolveExit(0);
    },
  };
}
