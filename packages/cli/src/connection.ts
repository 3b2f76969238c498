import { createApiClient, readCredentials, resolveConnection, type ApiClient, type Connection } from "@finetrack/sdk";
import { Option, type Command } from "commander";

export type ConnectionFlags = { url?: string; apiKey?: string };

/** --url / --api-key, falling back to FINETRACK_URL / FINETRACK_API_KEY and the credentials file. */
export function withConnection(command: Command): Command {
  return command
    .addOption(new Option("--url <url>", "server URL (default: FINETRACK_URL, else the server in the credentials file)"))
    .addOption(new Option("--api-key <key>", "API key (default: FINETRACK_API_KEY, else the credentials file)"));
}

export function connect(flags: ConnectionFlags): { client: ApiClient; connection: Connection; defaultProject: string } {
  const connection = resolveConnection({ url: flags.url, apiKey: flags.apiKey });
  const saved = readCredentials(connection.home).servers[connection.url];
  return {
    client: createApiClient({ url: connection.url, apiKey: connection.apiKey }),
    connection,
    defaultProject: saved?.project ?? "default",
  };
}
