import { Command, InvalidArgumentError, Option } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { passwordSession, readStdin } from "../password-session";
import { printTable } from "../print-table";

type ProjectFlags = ConnectionFlags & { project?: string; json?: boolean };

const SCOPES = ["read", "write", "admin"] as const;

function parseScopes(value: string): Array<(typeof SCOPES)[number]> {
  const scopes = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(`--scopes: '${scope}' is not one of ${SCOPES.join(", ")}`);
  }
  return scopes as Array<(typeof SCOPES)[number]>;
}

const DURATION = /^(\d+)([dhm])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

function parseExpiry(value: string): Date {
  const duration = DURATION.exec(value.trim());
  const date = duration ? new Date(Date.now() + Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected an ISO date/time or a duration such as 30d, 12h or 90m");
  return date;
}

/**
 * `finetrack keys create|list|revoke`: API keys, through the server. Anyone with a role in the
 * project creates their own keys there; the saved admin key may mint keys for your other projects.
 */
export function keysCommand(): Command {
  const keys = new Command("keys").description("create, list and revoke API keys");

  withConnection(keys.command("create").description("create a key; its secret is printed once"))
    .requiredOption("--name <name>", "what the key is for, e.g. 'laptop' or 'ci'")
    .option("--project <slug>", "project (default: the credentials file's project, else 'default')")
    .addOption(new Option("--scopes <list>", "comma-separated: read, write, admin (at most your role allows)").default("write"))
    .option("--expires <when>", "expiry: an ISO date/time, or a duration such as 30d or 12h", parseExpiry)
    .option("--user <username>", "sign in as this user (password from standard input) instead of using a key")
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags & { name: string; scopes: string; expires?: Date; user?: string }) => {
      const { client, connection, defaultProject } = connect(flags);
      const session = flags.user ? await passwordSession(connection.url, flags.user, await readStdin()) : null;
      const input = { project: flags.project ?? defaultProject, name: flags.name, scopes: parseScopes(flags.scopes), expiresAt: flags.expires };
      const key = await (session?.client ?? client).key.create.mutate(input).finally(() => session?.end());
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
        return;
      }
      const expiry = key.expiresAt ? `, expires ${key.expiresAt.toISOString()}` : "";
      process.stdout.write(`created key ${key.id} (${key.prefix}, project ${key.projectSlug}, scopes ${key.scopes.join(",")}${expiry})\nsecret (shown once): ${key.secret}\n`);
    });

  withConnection(keys.command("list").description("list a project's keys (an owner sees all, others their own)"))
    .option("--project <slug>", "project (default: the credentials file's project, else 'default')")
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags) => {
      const { client, defaultProject } = connect(flags);
      const list = await client.key.list.query({ project: flags.project ?? defaultProject });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      printTable(
        ["id", "prefix", "name", "scopes", "user", "created", "last used", "expires", "revoked"],
        list.map((k) => [k.id, k.prefix, k.name, k.scopes.join(","), k.username, iso(k.createdAt), iso(k.lastUsedAt), iso(k.expiresAt), iso(k.revokedAt)]),
      );
    });

  withConnection(keys.command("revoke").description("revoke a key; requests with it fail from now on"))
    .argument("<id>", "key id (see `finetrack keys list`)")
    .action(async (id: string, flags: ConnectionFlags) => {
      const { client } = connect(flags);
      const key = await client.key.revoke.mutate({ id });
      process.stdout.write(`revoked key ${key.id} (${key.prefix})\n`);
    });

  return keys;
}

function iso(date: Date | null): string {
  return date ? date.toISOString() : "-";
}
