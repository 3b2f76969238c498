import { normalizeServerUrl, readCredentials } from "./credentials";
import { finetrackHome, readSdkEnv } from "./env";

export const DEFAULT_SERVER_URL = "http://localhost:3000";

export type Connection = { url: string; apiKey?: string; mode: "online" | "offline"; home: string };

/** Explicit options win, then FINETRACK_* variables, then the credentials file. */
export function resolveConnection(options: { url?: string; apiKey?: string; mode?: "online" | "offline"; home?: string } = {}): Connection {
  const env = readSdkEnv();
  const home = options.home ?? finetrackHome(env);
  const credentials = readCredentials(home);
  const url = normalizeServerUrl(options.url ?? env.FINETRACK_URL ?? credentials.default ?? DEFAULT_SERVER_URL);
  const apiKey = options.apiKey ?? env.FINETRACK_API_KEY ?? credentials.servers[url]?.apiKey;
  return { url, apiKey, mode: options.mode ?? env.FINETRACK_MODE ?? "online", home };
}
