import type { AppRouter } from "@finetrack/api";
import { wireTransformer } from "@finetrack/contracts";
import { trpcEndpoint, type ApiClient } from "@finetrack/sdk";
import { createTRPCClient, httpLink } from "@trpc/client";

/**
 * A client signed in with a username and password (a session cookie), for `--user`: how someone
 * without a key yet mints their first one from the CLI. `end()` signs the session out again.
 */
export async function passwordSession(url: string, username: string, password: string): Promise<{ client: ApiClient; end(): Promise<void> }> {
  let cookie = "";
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: trpcEndpoint(url),
        transformer: wireTransformer,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (input, init) => {
          const response = await fetch(input, init as RequestInit);
          const set = response.headers.get("set-cookie");
          if (set) cookie = set.split(";")[0];
          return response;
        },
      }),
    ],
  }) as ApiClient;
  await client.session.signIn.mutate({ username, password });
  return { client, end: async () => void (await client.session.signOut.mutate()) };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
