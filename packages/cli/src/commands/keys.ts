import { Command, Option } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
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

/** `finetrack keys create|list|revoke`: API keys of a project, through the server (needs an admin key). */
export function keysCommand(): Command {
  const keys = new Command("keys").description("create, list and revoke API keys");

  withConnection(keys.command("create").description("create a key; its secret is printed once"))
    .requiredOption("--name <name>", "what the key is for, e.g. 'laptop' or 'ci'")
    .option("--project <slug>", "project (default: the credentials file's project, else 'default')")
    .addOption(new Option("--scopes <list>", "comma-separated: read, write, admin").default("write"))
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags & { name: string; scopes: string }) => {
      const { client, defaultProject } = connect(flags);
      const key = await client.key.create.mutate({ project: flags.project ?? defaultProject, name: flags.name, scopes: parseScopes(flags.scopes) });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
        return;
      }
      process.stdout.write(`created key ${key.id} (${key.prefix}, scopes ${key.scopes.join(",")})\nsecret (shown once): ${key.secret}\n`);
    });

  withConnection(keys.command("list").description("list a project's keys"))
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
        ["id", "prefix", "name", "scopes", "created", "last used", "revoked"],
        list.map((k) => [k.id, k.prefix, k.name, k.scopes.join(","), iso(k.createdAt), iso(k.lastUsedAt), iso(k.revokedAt)]),
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
