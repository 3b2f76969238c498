import { Command } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { printTable } from "../print-table";

/** `finetrack projects create|list`: you become the owner of a project you create. */
export function projectsCommand(): Command {
  const projects = new Command("projects").description("create and list projects");

  withConnection(projects.command("create").description("create a project; you become its owner"))
    .argument("<slug>", "lowercase letters, digits, '-' or '_'")
    .option("--name <name>", "display name (default: the slug)")
    .action(async (slug: string, flags: ConnectionFlags & { name?: string }) => {
      const project = await connect(flags).client.project.create.mutate({ slug, name: flags.name ?? slug });
      process.stdout.write(`created project '${project.slug}'; mint its first key with \`finetrack keys create --project ${project.slug} --name <name>\`\n`);
    });

  withConnection(projects.command("list").description("list the projects you can read"))
    .option("--json", "print JSON")
    .action(async (flags: ConnectionFlags & { json?: boolean }) => {
      const list = await connect(flags).client.project.list.query();
      if (flags.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      printTable(["slug", "name", "created"], list.map((p) => [p.slug, p.name, p.createdAt.toISOString()]));
    });

  return projects;
}
