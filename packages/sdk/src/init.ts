import { randomBytes } from "node:crypto";
import { formatZodError, RunCreateInput } from "@finetrack/contracts";
import { readSdkEnv } from "./env";
import { resolveConnection } from "./resolve-connection";
import { Run, type RunTuning } from "./run";
import { captureSystemInfo } from "./system-info";

type CreateFields = Omit<RunCreateInput, "project" | "id" | "system">;

export type InitOptions = CreateFields & {
  project: string;
  /** Reusing an id resumes that run (creation is idempotent). */
  id?: string;
  /** Merged over the captured system info, e.g. { backend: "wasm" }. */
  system?: Record<string, unknown>;
  url?: string;
  apiKey?: string;
  mode?: "online" | "offline";
  /** Where the credentials file and spool live (default $FINETRACK_HOME or ~/.finetrack). */
  home?: string;
  /** No messages on stderr. */
  quiet?: boolean;
  tuning?: Partial<RunTuning>;
};

/** A short, URL-safe id that is unique enough to be chosen on the client (so creation can be retried). */
export function newRunId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(12), (byte) => alphabet[byte % 36]).join("");
}

let envRunIdUsed = false;

/** Starts a run: records system info, creates it on the server (or in the spool) and returns it. */
export async function init(options: InitOptions): Promise<Run> {
  if (typeof options?.project !== "string" || options.project.length === 0) {
    throw new TypeError("finetrack: init({ project }) needs the project slug, e.g. init({ project: 'default' })");
  }
  const { url, apiKey, mode, home, quiet, tuning, system, id, ...fields } = options;
  const connection = resolveConnection({ url, apiKey, mode, home });
  const env = readSdkEnv();
  // FINETRACK_RUN_ID (a sweep agent's trial) names the first run of the process; later ones (k-fold, compression children) get their own.
  const envRunId = envRunIdUsed ? undefined : env.FINETRACK_RUN_ID;
  if (!id && envRunId) envRunIdUsed = true;
  const sweep = env.FINETRACK_SWEEP_ID ? { sweepId: env.FINETRACK_SWEEP_ID } : {};
  const createInput = { ...dropUndefined(fields), id: id ?? envRunId ?? newRunId(), system: { ...(await captureSystemInfo()), ...sweep, ...system } } as RunCreateInput & { id: string };
  // Checked with the API's own schema, but sent as given: a parsed copy would drop keys such as `__proto__`.
  const parsed = RunCreateInput.safeParse(createInput);
  if (!parsed.success) throw new TypeError(`finetrack: init: ${formatZodError(parsed.error)}`);
  const offline = connection.mode === "offline";
  const run = new Run({ createInput, url: connection.url, apiKey: connection.apiKey, offline, home: connection.home, tuning, quiet });
  try {
    await run.start();
  } catch (error) {
    if (!connection.apiKey && !offline) {
      throw new Error(`${(error as Error).message} (no API key was found: set FINETRACK_API_KEY, pass apiKey, or start \`finetrack server\` on this machine)`);
    }
    throw error;
  }
  return run;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
