import { Command } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { describeError } from "../describe-error";
import { findSources } from "../import/find-sources";
import { printSummary, problemCount, type RunOutcome } from "../import/print-summary";
import { SkippedSource, SourceError } from "../import/types";
import { importRunId, writeRun } from "../import/write-run";
import { createProgressBar } from "../progress-bar";

type ImportFlags = ConnectionFlags & { project?: string; tag: string[]; dryRun?: boolean };

/** Imports with at least this many points get a progress bar. */
const PROGRESS_MIN_POINTS = 20_000;

/** `finetrack import`: runs already on disk (HF Trainer, LLaMA-Factory, TensorBoard, MLflow) into a project. */
export function importCommand(): Command {
  return withConnection(
    new Command("import")
      .description("import runs from Hugging Face Trainer output folders, LLaMA-Factory saves, TensorBoard event files and MLflow mlruns/")
      .argument("<path...>", "files or folders to search for runs"),
  )
    .option("--project <slug>", "project (default: the credentials file's project, else 'default')")
    .option("--tag <tag>", "tag every imported run (repeatable)", (tag: string, tags: string[]) => [...tags, tag], [] as string[])
    .option("--dry-run", "read and report, write nothing")
    .action(async (paths: string[], flags: ImportFlags) => {
      const { candidates, problems } = findSources(paths);
      const found: RunOutcome[] = [];
      const left: SkippedSource[] = [];
      for (const candidate of candidates) {
        try {
          found.push({ run: candidate.read() });
        } catch (error) {
          if (error instanceof SkippedSource) {
            left.push(error);
            continue;
          }
          // Whatever one source does wrong (unreadable folder, a protobuf that is not one), the others still import.
          problems.push(error instanceof SourceError ? error.toProblem() : { file: candidate.dir, message: (error as Error).message });
        }
      }
      if (candidates.length === 0) problems.push({ file: paths.join(", "), message: "no runs found (looked for trainer_state.json, trainer_log.jsonl, events.out.tfevents.*, MLflow meta.yaml)" });
      if (flags.dryRun) {
        for (const o of found) o.result = { id: importRunId(o.run), state: "dry run", inserted: 0, duplicates: 0 };
      } else if (found.length) {
        await writeAll(found, flags);
      }
      const write = (text: string) => process.stdout.write(text);
      for (const source of left) write(`skipped ${source.message}\n`);
      printSummary(found, problems, write);
      if (problemCount(found, problems) > 0) process.exitCode = 1;
    });
}

async function writeAll(found: RunOutcome[], flags: ImportFlags): Promise<void> {
  const { client, defaultProject } = connect(flags);
  const project = flags.project ?? defaultProject;
  const total = found.reduce((n, o) => n + o.run.points.length, 0);
  const bar = total >= PROGRESS_MIN_POINTS ? createProgressBar() : undefined;
  let sent = 0;
  for (const outcome of found) {
    try {
      outcome.result = await writeRun(client, outcome.run, {
        project,
        tags: flags.tag,
        onPoints: (n) => bar?.update({ label: "import", unit: "points", step: (sent += n), total }),
      });
    } catch (error) {
      const message = describeError(error);
      // The server being away or the key refused fails every run alike: stop at the first.
      if (/cannot reach|UNAUTHORIZED|FORBIDDEN/.test(message)) {
        bar?.done();
        throw error;
      }
      outcome.failure = message;
    }
  }
  bar?.done();
}
