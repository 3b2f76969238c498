import { Command, InvalidArgumentError } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { readStdin } from "../password-session";
import { printTable } from "../print-table";

type JsonFlags = ConnectionFlags & { json?: boolean };
const ROLES = ["viewer", "editor", "owner", "none"] as const;

function parseRole(value: string): (typeof ROLES)[number] {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${ROLES.join(", ")}`);
  return value as (typeof ROLES)[number];
}

function printPassword(username: string, password: string | null, what: string): void {
  if (password) process.stdout.write(`${what} '${username}'\none-time password (shown once; sign in to the dashboard with it): ${password}\n`);
  else process.stdout.write(`${what} '${username}'\n`);
}

/** `finetrack users create|list|disable|enable|reset-password|grant`: accounts, through the server (instance admin; grant: project owner). */
export function usersCommand(): Command {
  const users = new Command("users").description("manage user accounts and their project roles");

  withConnection(users.command("create").description("create a user; without --password-stdin a one-time password is printed"))
    .argument("<username>", "a name or an email address")
    .option("--admin", "make the user an instance admin (manages users and every project)")
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .option("--json", "print JSON")
    .action(async (username: string, flags: JsonFlags & { admin?: boolean; passwordStdin?: boolean }) => {
      const { client } = connect(flags);
      const password = flags.passwordStdin ? await readStdin() : undefined;
      const user = await client.user.create.mutate({ username, password, isAdmin: Boolean(flags.admin) });
      if (flags.json) return void process.stdout.write(`${JSON.stringify(user, null, 2)}\n`);
      printPassword(user.username, user.password, user.isAdmin ? "created instance admin" : "created user");
    });

  withConnection(users.command("list").description("list users"))
    .option("--json", "print JSON")
    .action(async (flags: JsonFlags) => {
      const list = await connect(flags).client.user.list.query();
      if (flags.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      printTable(
        ["username", "admin", "status", "created"],
        list.map((u) => [u.username, u.isAdmin ? "yes" : "", u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : "active", u.createdAt.toISOString()]),
      );
    });

  for (const [name, disabled] of [["disable", true], ["enable", false]] as const) {
    withConnection(users.command(name).description(disabled ? "disable a user: their keys and sessions stop working at once" : "enable a disabled user again"))
      .argument("<username>")
      .action(async (username: string, flags: ConnectionFlags) => {
        const user = await connect(flags).client.user.setDisabled.mutate({ username, disabled });
        process.stdout.write(`${disabled ? "disabled" : "enabled"} user '${user.username}'\n`);
      });
  }

  withConnection(users.command("reset-password").description("set a new password (generated unless --password-stdin); the user's sessions end"))
    .argument("<username>")
    .option("--password-stdin", "read the new password from standard input")
    .action(async (username: string, flags: ConnectionFlags & { passwordStdin?: boolean }) => {
      const password = flags.passwordStdin ? await readStdin() : undefined;
      const user = await connect(flags).client.user.resetPassword.mutate({ username, password });
      printPassword(user.username, user.password, "new password for");
    });

  withConnection(users.command("grant").description("give a user a role in a project (none: remove them); needs the owner role there"))
    .argument("<username>")
    .requiredOption("--project <slug>", "project")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`, parseRole)
    .action(async (username: string, flags: ConnectionFlags & { project: string; role: (typeof ROLES)[number] }) => {
      const { client } = connect(flags);
      const members =
        flags.role === "none"
          ? await client.project.removeMember.mutate({ project: flags.project, username })
          : await client.project.setMember.mutate({ project: flags.project, username, role: flags.role });
      printTable(["username", "role"], members.map((m) => [m.username, m.role]));
    });

  return users;
}
