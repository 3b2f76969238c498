import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Run } from "@finetrack/contracts";
import type { ApiClient } from "@finetrack/sdk";
import { Command, Option } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { METRIC_CSV_HEADER, csvRow, metricRows, runsCsv, toJson, type ExportedRun } from "../format-export";
import { readRunMetrics } from "../read-run-metrics";

type ExportFlags = ConnectionFlags & {
  project?: string;
  run?: string[];
  format: "json" | "csv";
  table: "runs" | "metrics";
  keys?: string;
  out?: string;
  metrics: boolean;
};

/** `finetrack export`: runs and their metric points as JSON or CSV, to stdout or a file. */
export function exportCommand(): Command {
  return withConnection(new Command("export").description("export runs and metrics as JSON or CSV"))
    .option("--project <slug>", "project (default: the credentials file's project, else 'default')")
    .option("--run <id...>", "only these runs (default: every run of the project)")
    .addOption(new Option("--format <format>", "output format").choices(["json", "csv"]).default("json"))
    .addOption(new Option("--table <table>", "for CSV: one row per metric point, or one row per run").choices(["metrics", "runs"]).default("metrics"))
    .option("--keys <list>", "only these metric keys (comma-separated)")
    .option("--no-metrics", "JSON without metric points (runs only)")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action(async (flags: ExportFlags) => {
      const { client, defaultProject } = connect(flags);
      const runs = flags.run ? await Promise.all(flags.run.map((id) => client.run.get.query({ id }))) : await listAllRuns(client, flags.project ?? defaultProject);
      const keys = flags.keys?.split(",").map((k) => k.trim()).filter(Boolean);
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      const write = async (text: string) => {
        if (!out.write(text)) await once(out, "drain");
      };
      const withMetrics = async (run: Run): Promise<ExportedRun> => ({ ...run, metrics: await readRunMetrics(client, run.id, keys) });

      if (flags.format === "csv" && flags.table === "runs") {
        await write(runsCsv(runs));
      } else if (flags.format === "csv") {
        await write(csvRow(METRIC_CSV_HEADER));
        for (const run of runs) await write(metricRows(await withMetrics(run)));
      } else {
        // Streamed run by run so a large project never sits in memory as one string.
        await write(`{\n  "exportedAt": ${JSON.stringify(new Date().toISOString())},\n  "runs": [\n`);
        for (const [i, run] of runs.entries()) {
          const text = toJson(flags.metrics ? await withMetrics(run) : run).replaceAll("\n", "\n    ");
          await write(`${i > 0 ? ",\n" : ""}    ${text}`);
        }
        await write("\n  ]\n}\n");
      }
      if (flags.out) {
        out.end();
        await once(out, "finish");
        process.stderr.write(`wrote ${runs.length} run(s) to ${flags.out}\n`);
      }
    });
}

async function listAllRuns(client: ApiClient, project: string): Promise<Run[]> {
  const runs: Run[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await client.run.list.query({ project, cursor, limit: 500, sort: { field: "createdAt", direction: "asc" } });
    runs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return runs;
}
