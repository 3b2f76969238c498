import { formatNumber } from "@finetrack/contracts";
import type { ApiClient } from "@finetrack/sdk";
import { Command, InvalidArgumentError, Option } from "commander";
import { connect, withConnection, type ConnectionFlags } from "../connection";
import { toJson } from "../format-export";

type RunDiagnosis = Awaited<ReturnType<ApiClient["analysis"]["diagnose"]["query"]>>;
type Diagnosis = NonNullable<RunDiagnosis["diagnosis"]>;
type Verdict = Diagnosis["verdict"];

/** Every verdict, with the words a person reads (a Record, so a new verdict does not compile until it is named here). */
const VERDICTS: Record<Verdict, string> = {
  overfitting: "overfitting",
  metric_still_improving: "loss overfits, the metric still improves",
  degrading: "degrading (unstable or too high a learning rate)",
  diverged: "diverged",
  eval_broken: "the evaluation is broken",
  still_improving: "still improving",
  good_fit: "good fit",
  underfitting: "underfitting",
  too_short: "too short to tell",
};

type DiagnoseFlags = ConnectionFlags & { run?: string[]; project?: string; json?: boolean; failOn?: Verdict[] };

function parseVerdicts(text: string): Verdict[] {
  const names = text.split(",").map((v) => v.trim()).filter(Boolean);
  const unknown = names.filter((v) => !Object.prototype.hasOwnProperty.call(VERDICTS, v));
  if (unknown.length || names.length === 0)
    throw new InvalidArgumentError(`expected a comma-separated list of verdicts (${Object.keys(VERDICTS).join(", ")}), got '${unknown.join(",") || text}'`);
  return names as Verdict[];
}

/** The step to go back to: by the task metric when the run chooses its checkpoint by it or the verdict says so, else by val loss. */
function bestStep(d: Diagnosis): { step: number; value: number; by: string } | null {
  const m = d.metric;
  if (m?.best && (m.selectsCheckpoint || d.verdict === "metric_still_improving")) return { ...m.best, by: m.name };
  return d.best ? { step: d.best.step, value: d.best.value, by: "val loss" } : null;
}

function machineReadable(r: RunDiagnosis, name: string) {
  const d = r.diagnosis;
  return {
    runId: r.runId,
    name,
    trainKey: r.trainKey,
    valKey: r.valKey,
    metricKey: r.metricKey,
    verdict: d?.verdict ?? null,
    confidence: d?.confidence ?? null,
    sparse: d?.sparse ?? null,
    summary: d?.summary ?? r.reason,
    onsetStep: d?.onsetStep ?? null,
    best: d ? bestStep(d) : null,
    bestValLoss: d?.best ?? null,
    metric: d?.metric ?? null,
    earlyStopping: d?.earlyStopping ?? null,
    advice: d?.advice.map((a) => ({ id: a.id, priority: a.priority, message: a.message, setting: a.setting ?? null })) ?? [],
    reasons: d?.reasons ?? [],
  };
}

function humanReadable(r: RunDiagnosis, name: string): string {
  const d = r.diagnosis;
  const head = `run ${r.runId}${name && name !== r.runId ? ` (${name})` : ""}`;
  if (!d) return `${head}\n  verdict   none\n  why       ${r.reason}\n`;
  const keys = [r.trainKey, r.valKey, r.metricKey].filter(Boolean).join(", ");
  const best = bestStep(d);
  const lines = [
    `${head}  [${keys}]`,
    `  verdict   ${VERDICTS[d.verdict]} (confidence ${Math.round(d.confidence * 100)}%${d.sparse ? `, only ${d.evidence.valPoints} evaluations` : ""})`,
    `  summary   ${d.summary}`,
    `  onset     ${d.onsetStep !== null ? `step ${d.onsetStep}` : "—"}`,
    `  best      ${best ? `step ${best.step} by ${best.by} (${formatNumber(best.value, { digits: 4 })})` : "—"}`,
  ];
  d.advice.forEach((a, i) => lines.push(`  ${i === 0 ? "advice" : "      "}    ${i + 1}. ${a.message}`));
  return `${lines.join("\n")}\n`;
}

async function projectRuns(client: ApiClient, project: string): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  for (let cursor: string | null | undefined; ; ) {
    const page = await client.run.list.query({ project, cursor, limit: 500, sort: { field: "createdAt", direction: "asc" } });
    out.push(...page.items.map((r) => ({ id: r.id, name: r.name })));
    if (!(cursor = page.nextCursor)) return out;
  }
}

/** `finetrack diagnose`: verdict, onset, best step and advice per run; --fail-on makes a pipeline stop on a bad run. */
export function diagnoseCommand(): Command {
  return withConnection(new Command("diagnose").description("is a run overfitting, diverging or degrading? verdict, onset, best step and advice per run"))
    .option("--run <id...>", "these runs (default: every run of the project)")
    .option("--project <slug>", "every run of this project (default: the credentials file's project, else 'default')")
    .option("--json", "one JSON document for machines")
    .addOption(new Option("--fail-on <verdicts>", `exit 1 when a run's verdict is one of these (comma-separated: ${Object.keys(VERDICTS).join(", ")})`).argParser(parseVerdicts))
    .action(async (flags: DiagnoseFlags) => {
      const { client, defaultProject } = connect(flags);
      const runs = flags.run
        ? await Promise.all(flags.run.map(async (id) => ({ id, name: (await client.run.get.query({ id })).name })))
        : await projectRuns(client, flags.project ?? defaultProject);
      const results: RunDiagnosis[] = [];
      for (const run of runs) {
        const r = await client.analysis.diagnose.query({ runId: run.id });
        results.push(r);
        if (!flags.json) process.stdout.write(`${results.length > 1 ? "\n" : ""}${humanReadable(r, run.name)}`);
      }
      const failOn = new Set(flags.failOn ?? []);
      const failed = results.filter((r) => r.diagnosis && failOn.has(r.diagnosis.verdict));
      if (flags.json) {
        const names = new Map(runs.map((r) => [r.id, r.name]));
        process.stdout.write(`${toJson({ runs: results.map((r) => machineReadable(r, names.get(r.runId) ?? "")), failed: failed.map((r) => r.runId) })}\n`);
      } else if (runs.length === 0) process.stdout.write(`no runs in project '${flags.project ?? defaultProject}'\n`);
      if (failed.length) {
        process.stderr.write(`finetrack diagnose: ${failed.map((r) => `${r.runId} is ${r.diagnosis!.verdict}`).join(", ")} (--fail-on ${[...failOn].join(",")})\n`);
        process.exitCode = 1;
      }
    });
}
